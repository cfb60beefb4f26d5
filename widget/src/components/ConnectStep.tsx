import { createContext, type ReactNode, useContext, useEffect } from "react";
import { type Connector, useConnect, useConnection, useConnectors } from "wagmi";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { useHydrated } from "./useHydrated.ts";

/**
 * The wallets to choose from: those announced through EIP-6963, and the generic injected wallet only when none
 * announced itself but `window.ethereum` exists (otherwise MetaMask would be listed twice, once as "Injected").
 */
export function visibleConnectors(connectors: readonly Connector[]): Connector[] {
  const announced = connectors.filter((c) => c.type === "injected" && c.id !== "injected");
  if (announced.length > 0) return connectors.filter((c) => c.id !== "injected");
  const hasInjected = typeof window !== "undefined" && Reflect.get(window, "ethereum") !== undefined;
  return connectors.filter((c) => c.id !== "injected" || hasInjected);
}

/**
 * A wallet the reader already chose before the widget mounted (the script tag draws the Connect step before it loads
 * the widget): its connector id, connected once it is listed and wagmi's own reconnect attempt is over; only once.
 */
export const ChosenWalletContext = createContext<{ id: string; taken?: boolean } | undefined>(undefined);

export function ConnectStep(): ReactNode {
  const { messages } = useWidgetContext();
  const connectors = visibleConnectors(useConnectors());
  const connect = useConnect();
  const { status } = useConnection();
  const hydrated = useHydrated();
  const chosen = useContext(ChosenWalletContext);
  const chosenConnector = chosen && !chosen.taken ? connectors.find((c) => c.id === chosen.id) : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: connect.mutate is stable; once per chosen wallet.
  useEffect(() => {
    if (!chosen || !chosenConnector || status !== "disconnected") return;
    chosen.taken = true;
    connect.mutate({ connector: chosenConnector });
  }, [chosen, chosenConnector, status]);
  // On a server and while the page hydrates, which wallets this browser has is not known yet: the server's HTML and
  // the hydrating render both say the widget is looking (a server-rendered "no wallet" would not match the browser's).
  // A wallet that already allowed this site is reconnected without a prompt as the page loads. Until that attempt
  // ends there is nothing to choose: a Connect button shown now would vanish under the reader's pointer when the
  // paywall, finding the wallet, goes on to pay and navigate.
  if (!hydrated || ((status === "connecting" || status === "reconnecting") && !connect.isPending)) {
    return (
      <div>
        <p>{messages.payWithChannel}</p>
        <p>{messages.lookingForWallet}</p>
      </div>
    );
  }
  if (connectors.length === 0) {
    return (
      <div>
        <p>{messages.noWallet}</p>
        <p className="mr-muted">{messages.noWalletHelp}</p>
        <p>
          <a href="https://metamask.io/download/" target="_blank" rel="noopener noreferrer">
            {messages.installMetaMask}
          </a>
        </p>
      </div>
    );
  }
  return (
    <div>
      <p>{messages.payWithChannel}</p>
      <ul className="mr-actions" aria-label={messages.chooseWallet}>
        {connectors.map((connector) => (
          <li key={connector.uid}>
            <button
              type="button"
              className="mr-button"
              disabled={connect.isPending}
              onClick={() => connect.mutate({ connector })}
            >
              {messages.connectWith(connector.name)}
            </button>
          </li>
        ))}
      </ul>
      {connect.isPending && <p>{messages.connecting}</p>}
      {connect.error && <ErrorNotice error={connect.error} />}
    </div>
  );
}
