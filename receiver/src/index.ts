// @micro-raiden/receiver: what a site owner installs. startReceiver runs a receiver from options (store, chain
// watcher, operator); paywall() charges for your routes; receiverApi() is µRaiden's REST API; receiverApp and
// startServer put them together; runCli is the `micro-raiden-server` command.

export { channelManagerCreationCode } from "./chain/channelManagerCreationCode.ts";
export type { OperatorResult } from "./chain/operator.ts";
export { type HaproxyConfigOptions, haproxyConfig } from "./cluster/haproxyConfig.ts";
export {
  type ChannelManagerTerms,
  channelManagerAddress,
  type DeployedChannelManager,
  defaultChallengePeriod,
  deployChannelManager,
} from "./deploy/deployChannelManager.ts";
export {
  type DeployProgress,
  deterministicDeployer,
  ensureDeterministicDeployer,
} from "./deploy/deterministicDeployer.ts";
export { type ChannelStatusBarOptions, channelStatusBar, channelStatusElementId } from "./http/channelStatusBar.ts";
export { type CorsOptions, cors } from "./http/cors.ts";
export { healthRoutes } from "./http/healthRoutes.ts";
export { paidRequirements } from "./http/paidRequirements.ts";
export { defaultPaidMaxAge, type PaywallOptions, type Price, paywall } from "./http/paywall.ts";
export { paywallPageCss } from "./http/paywallPage.ts";
export { type ReceiverApiOptions, receiverApi } from "./http/receiverApi.ts";
export type { ReceiverAppOptions, ReceiverRoutesContext } from "./http/receiverApp.ts";
export { receiverApp } from "./http/receiverApp.ts";
export type { SponsoredOpener, SponsoredOpenResult, SponsorOptions } from "./http/sponsoredOpener.ts";
export type { RateLimit } from "./http/sponsoredOpenLimiter.ts";
export { assetPaths, type StaticAssetsOptions, staticAssets } from "./http/staticAssets.ts";
export { type UpstreamProxyOptions, upstreamProxy } from "./http/upstreamProxy.ts";
export type { ChannelInfo, Receiver, TokenInfo } from "./Receiver.ts";
export { readTokenInfo } from "./readTokenInfo.ts";
export type { ChannelStatus } from "./receiver/channelBook.ts";
export type {
  AcceptedPayment,
  ClosingSignatureRequest,
  ClosingSignatureResult,
  PaymentRejection,
  Readiness,
  SettleRefusal,
} from "./receiver/createReceiverCore.ts";
export { type RunCliOptions, runCli } from "./runCli.ts";
export { type StartReceiverOptions, startReceiver } from "./startReceiver.ts";
export { type RunningServer, type StartServerOptions, startServer } from "./startServer.ts";
export type { ProofStore } from "./store/ProofStore.ts";
export { sqliteStore } from "./store/sqliteStore.ts";
export type { ExactFacilitator, ExactRefusal, ReceiverExact } from "./x402/ExactFacilitator.ts";
export type { ExactLedger, ExactPaymentKey, ExactPaymentRecord } from "./x402/exactLedger.ts";
export { type HttpFacilitatorOptions, httpFacilitator } from "./x402/httpFacilitator.ts";
export { type LocalFacilitatorOptions, localFacilitator } from "./x402/localFacilitator.ts";
export { readExactDomain } from "./x402/readExactDomain.ts";
export type { ExactOptions } from "./x402/startExact.ts";
