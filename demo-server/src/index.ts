// @micro-raiden/demo-server: the receiver. createApp/paywall for HTTP, createReceiver for the payment core,
// createWatcher for the chain, sqliteStore for durable proofs, startServer to run it all.

export { createWatcher, type Watcher, type WatcherOptions } from "./chain/createWatcher.ts";
export { createOperator, type Operator, type OperatorResult } from "./chain/operator.ts";
export { type AppDependencies, articles, createApp, pricePerCharacter } from "./http/createApp.ts";
export { type PaywallOptions, type Price, paywall } from "./http/paywall.ts";
export { type ReceiverApiOptions, receiverApi } from "./http/receiverApi.ts";
export type { ChannelStatus, ChannelView } from "./receiver/channelBook.ts";
export {
  type AcceptedPayment,
  createReceiver,
  type PaymentRejection,
  type Receiver,
  type ReceiverOptions,
} from "./receiver/createReceiver.ts";
export { type RunningServer, type ServerConfig, startServer } from "./startServer.ts";
export type { ProofStore } from "./store/ProofStore.ts";
export { type ProofWriter, workerProofWriter } from "./store/proofWriter.ts";
export { sqliteStore } from "./store/sqliteStore.ts";
