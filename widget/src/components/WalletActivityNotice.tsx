import { type ReactNode, useSyncExternalStore } from "react";
import { useWidgetContext } from "../provider/WidgetContext.ts";

/** While an action runs: "confirm in your wallet" during a prompt, then the pending transaction's hash. */
export function WalletActivityNotice(): ReactNode {
  const { activity, messages } = useWidgetContext();
  const { prompt, transaction } = useSyncExternalStore(activity.subscribe, activity.getSnapshot);
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
