// @micro-raiden/web-client: a small, tree-shakable channel client in viem's style. The client is configuration;
// every action is a function taking it first. The protocol (typed data, headers, codecs, ABI) is re-exported from
// the `protocol` subpath as well.
export { type CloseChannelParameters, closeChannel, requestClosingSignature } from "./actions/closeChannel.ts";
export { type FetchWithPaymentOptions, fetchWithPayment } from "./actions/fetchWithPayment.ts";
export { getChannels } from "./actions/getChannels.ts";
export {
  type DepositMethod,
  detectDepositMethod,
  type ManagerParameters,
  type OpenChannelParameters,
  openChannel,
} from "./actions/openChannel.ts";
export { type PaymentOutcome, type PayParameters, pay } from "./actions/pay.ts";
export { settleChannel } from "./actions/settleChannel.ts";
export { signBalanceProof } from "./actions/signBalanceProof.ts";
export { refreshChannel, type SyncChannelsParameters, syncChannels } from "./actions/syncChannels.ts";
export { topUp } from "./actions/topUp.ts";
export { watchChannels } from "./actions/watchChannels.ts";
export { type ChannelLock, defaultLock, memoryLock, webLock } from "./client/channelLock.ts";
export {
  type ChannelClient,
  type CreateChannelClientParameters,
  createChannelClient,
  type SigningMode,
  type SpendingPolicy,
} from "./client/createChannelClient.ts";
export { ensureChain } from "./client/ensureChain.ts";
export {
  BudgetExceededError,
  ChainMismatchError,
  ChannelManagerRevertError,
  ChannelNotOpenError,
  ChannelRequiredError,
  InsufficientDepositError,
  PaymentRefusedError,
  PriceExceedsPolicyError,
  ReceiverApiError,
} from "./errors.ts";
export * from "./protocol/index.ts";
export type {
  ChannelFilter,
  ChannelKey,
  ChannelState,
  ChannelStorage,
  StoredChannel,
} from "./storage/ChannelStorage.ts";
export { InvalidStoredChannelError } from "./storage/InvalidStoredChannelError.ts";
export { type IndexedDbStorageOptions, indexedDbStorage } from "./storage/indexedDbStorage.ts";
export { memoryStorage } from "./storage/memoryStorage.ts";
export { parseStoredChannel, type SerializedChannel, serializeChannel } from "./storage/serializeChannel.ts";
export { discoverWallets, type WalletDetail } from "./wallet/discoverWallets.ts";
