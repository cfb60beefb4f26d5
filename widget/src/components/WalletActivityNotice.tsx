import { type ReactNode, useSyncExternalStore } from "react";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import type { WalletActivity } from "../provider/walletActivity.ts";

/** What a server render (and the hydration that follows it) shows: no wallet is asked anything on a server. */
const idle: WalletActivity = { prompt: undefined, transaction: undefined };
const serverSnapshot = () => idle;

/** While an action runs: "confirm in your wallet" during a prompt, then the pending transaction's hash. */
export function WalletActivityNotice(): ReactNode {
  const { activity, messages } = useWidgetContext();
  const { prompt, transaction } = useSyncExternalStore(activity.subscribe, activity.getSnapshot, serverSnapshot);
  if (prompt) return <p>{messages.confirmInWallet}</p>;
  if (transaction) {
    return (
      <p>
        {messages.transactionPending} <span className="mr-hash">{transaction}</span>
      </p>
    );
  }
  return null;
}
