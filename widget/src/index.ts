"use client";
// @micro-raiden/widget: the reader's paywall for React. MicroRaidenProvider sets up wagmi, TanStack Query and the
// web-client's channel client; Paywall and ChannelStatus are the panels; the hooks wrap the web-client's actions
// for single-page apps. The script tag (`tag/`) and the paid-navigation Service Worker build on these.
// "use client": everything here runs in the browser (wallets, IndexedDB, hooks); a React Server Components app (Next.js
// App Router) may import it from a server component and render it as a client component.
export { ChannelStatus, type ChannelStatusProps } from "./components/ChannelStatus.tsx";
export { type ChannelReadyContext, Paywall, type PaywallProps } from "./components/Paywall.tsx";
export { widgetCss } from "./components/styles.ts";
export { formatTokenAmount, parseTokenAmount, type TokenInfo } from "./format/formatTokenAmount.ts";
export { type UseChannelParameters, useChannel } from "./hooks/useChannel.ts";
export { useChannelClient } from "./hooks/useChannelClient.ts";
export {
  type UseCloseChannelErrorType,
  type UseCloseChannelVariables,
  useCloseChannel,
} from "./hooks/useCloseChannel.ts";
export { useDelegateSigner } from "./hooks/useDelegateSigner.ts";
export { useOpenChannel } from "./hooks/useOpenChannel.ts";
export { usePaidFetch } from "./hooks/usePaidFetch.ts";
export { type PreviousSettlement, usePreviousSettlement } from "./hooks/usePreviousSettlement.ts";
export { useSettleChannel } from "./hooks/useSettleChannel.ts";
export { useTopUp } from "./hooks/useTopUp.ts";
export { catalogs, chooseLocale, type Locale } from "./i18n/catalogs.ts";
export type { Messages } from "./i18n/en.ts";
export { createWidgetConfig, defaultChains } from "./provider/createWidgetConfig.ts";
export { MicroRaidenProvider, type MicroRaidenProviderProps } from "./provider/MicroRaidenProvider.tsx";
