import type { ChannelClient, ChannelStorage, SigningMode, SpendingPolicy } from "@micro-raiden/web-client";
import { createContext, useContext } from "react";
import type { Locale } from "../i18n/catalogs.ts";
import type { Messages } from "../i18n/en.ts";
import type { WalletActivityStore } from "./walletActivity.ts";

/** What MicroRaidenProvider hands to the widget's components and hooks. */
export type WidgetContextValue = {
  /** The channel client over the connected wallet; undefined until a wallet is connected. */
  client: ChannelClient | undefined;
  /** Why the channel client could not be made for the connected wallet (it did not answer), until `retryClient`. */
  clientError: unknown;
  retryClient: () => void;
  storage: ChannelStorage;
  locale: Locale;
  messages: Messages;
  /** The default way to pay (the reader may choose the other in the paywall). */
  signing: SigningMode;
  /** What is paid without a prompt (the provider's `policy`, with its defaults). */
  policy: SpendingPolicy & { maxPaymentsPerMinute: number };
  /** Blocks the receiver waits for before a channel counts, when the site says so (shown as progress). */
  confirmations: number | undefined;
  activity: WalletActivityStore;
};

export const WidgetContext = createContext<WidgetContextValue | undefined>(undefined);

/** The provider's context; throws a clear error when a component is used outside MicroRaidenProvider. */
export function useWidgetContext(): WidgetContextValue {
  const value = useContext(WidgetContext);
  if (!value) throw new Error("µRaiden widget components and hooks must be inside <MicroRaidenProvider>.");
  return value;
}
