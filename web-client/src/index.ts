// @micro-raiden/web-client: a small, tree-shakable channel client in viem's style. The client is configuration;
// every action is a function taking it first. The protocol (typed data, headers, codecs, ABI) is at
// `@micro-raiden/web-client/protocol`; only what an app needs to handle this entry's errors is repeated here.

export { autoPayLimit, autoPayRefusal, channelAutoPay, recentAutoPayments } from "./actions/autoPay.ts";
export {
  type CloseChannelErrorType,
  type CloseChannelParameters,
  type CloseChannelReturnType,
  closeChannel,
} from "./actions/closeChannel.ts";
export {
  type CloseChannelUncooperativelyErrorType,
  type CloseChannelUncooperativelyParameters,
  type CloseChannelUncooperativelyReturnType,
  closeChannelUncooperatively,
} from "./actions/closeChannelUncooperatively.ts";
export { type ConnectErrorType, type ConnectReturnType, connect } from "./actions/connect.ts";
export {
  type CreatePaidFetchParameters,
  type CreatePaidFetchReturnType,
  createPaidFetch,
} from "./actions/createPaidFetch.ts";
export {
  type DelegateSignerErrorType,
  type DelegateSignerParameters,
  type DelegateSignerReturnType,
  delegateSigner,
} from "./actions/delegateSigner.ts";
export {
  type DepositMethod,
  type DetectDepositMethodErrorType,
  type DetectDepositMethodParameters,
  type DetectDepositMethodReturnType,
  detectDepositMethod,
} from "./actions/detectDepositMethod.ts";
export { type DisconnectErrorType, type DisconnectReturnType, disconnect } from "./actions/disconnect.ts";
export {
  type EnsureChainErrorType,
  type EnsureChainParameters,
  type EnsureChainReturnType,
  ensureChain,
} from "./actions/ensureChain.ts";
export {
  type FetchWithPaymentErrorType,
  type FetchWithPaymentParameters,
  type FetchWithPaymentReturnType,
  fetchWithPayment,
} from "./actions/fetchWithPayment.ts";
export {
  type FetchWithStoredChannelErrorType,
  type FetchWithStoredChannelParameters,
  type FetchWithStoredChannelReturnType,
  fetchWithStoredChannel,
} from "./actions/fetchWithStoredChannel.ts";
export {
  type GetChannelsErrorType,
  type GetChannelsParameters,
  type GetChannelsReturnType,
  getChannels,
} from "./actions/getChannels.ts";
export { type GetConnectionReturnType, getConnection } from "./actions/getConnection.ts";
export {
  type GetSettlementErrorType,
  type GetSettlementParameters,
  type GetSettlementReturnType,
  getSettlement,
} from "./actions/getSettlement.ts";
export {
  type ManagerParameters,
  type OpenChannelErrorType,
  type OpenChannelParameters,
  type OpenChannelReturnType,
  openChannel,
} from "./actions/openChannel.ts";
export {
  type PayErrorType,
  type PaymentOutcome,
  type PayParameters,
  type PayReturnType,
  pay,
} from "./actions/pay.ts";
export {
  type PreparePaymentErrorType,
  type PreparePaymentParameters,
  type PreparePaymentReturnType,
  preparePayment,
  type RecordPreparedPaymentParameters,
  recordPreparedPayment,
} from "./actions/preparePayment.ts";
export { receiverLockName } from "./actions/receiverLockName.ts";
export { type ReconnectErrorType, type ReconnectReturnType, reconnect } from "./actions/reconnect.ts";
export {
  type RefreshChannelErrorType,
  type RefreshChannelParameters,
  type RefreshChannelReturnType,
  refreshChannel,
} from "./actions/refreshChannel.ts";
export {
  type RequestClosingSignatureErrorType,
  type RequestClosingSignatureParameters,
  type RequestClosingSignatureReturnType,
  requestClosingSignature,
} from "./actions/requestClosingSignature.ts";
export {
  type SettleChannelErrorType,
  type SettleChannelParameters,
  type SettleChannelReturnType,
  settleChannel,
} from "./actions/settleChannel.ts";
export {
  type SignBalanceProofErrorType,
  type SignBalanceProofParameters,
  type SignBalanceProofReturnType,
  signBalanceProof,
} from "./actions/signBalanceProof.ts";
export { sponsoredOpenKind } from "./actions/sponsoredOpenKind.ts";
export {
  type SyncChannelsErrorType,
  type SyncChannelsParameters,
  type SyncChannelsReturnType,
  syncChannels,
} from "./actions/syncChannels.ts";
export { type TopUpErrorType, type TopUpParameters, type TopUpReturnType, topUp } from "./actions/topUp.ts";
export {
  type VerifyChannelManagerErrorType,
  type VerifyChannelManagerParameters,
  type VerifyChannelManagerReturnType,
  verifyChannelManager,
} from "./actions/verifyChannelManager.ts";
export {
  type WatchChannelsParameters,
  type WatchChannelsReturnType,
  watchChannels,
} from "./actions/watchChannels.ts";
export {
  type WatchConnectionParameters,
  type WatchConnectionReturnType,
  watchConnection,
} from "./actions/watchConnection.ts";
export type { Connection } from "./client/Connection.ts";
export {
  type ChannelClient,
  type CreateChannelClientParameters,
  type CreateChannelClientReturnType,
  createChannelClient,
  type SigningMode,
  type SpendingPolicy,
} from "./client/createChannelClient.ts";
export {
  type CreatePaymentClientParameters,
  type CreatePaymentClientReturnType,
  createPaymentClient,
} from "./client/createPaymentClient.ts";
export type { PaymentClient } from "./client/PaymentClient.ts";
export { AccountMismatchError, type AccountMismatchErrorType } from "./errors/AccountMismatchError.ts";
export { BudgetExceededError, type BudgetExceededErrorType } from "./errors/BudgetExceededError.ts";
export { ChannelManagerRevertError, type ChannelManagerRevertErrorType } from "./errors/ChannelManagerRevertError.ts";
export { ChannelNotOpenError, type ChannelNotOpenErrorType } from "./errors/ChannelNotOpenError.ts";
export { ChannelRequiredError, type ChannelRequiredErrorType } from "./errors/ChannelRequiredError.ts";
export { ConfirmationTimeoutError, type ConfirmationTimeoutErrorType } from "./errors/ConfirmationTimeoutError.ts";
export { GatewayUrlRequiredError, type GatewayUrlRequiredErrorType } from "./errors/GatewayUrlRequiredError.ts";
export { InsufficientDepositError, type InsufficientDepositErrorType } from "./errors/InsufficientDepositError.ts";
export { NoAccountError, type NoAccountErrorType } from "./errors/NoAccountError.ts";
export { NoChannelOpenedError, type NoChannelOpenedErrorType } from "./errors/NoChannelOpenedError.ts";
export { NotConnectedError, type NotConnectedErrorType } from "./errors/NotConnectedError.ts";
export {
  PaymentOutcomeUnknownError,
  type PaymentOutcomeUnknownErrorType,
} from "./errors/PaymentOutcomeUnknownError.ts";
export {
  PaymentRateExceededError,
  type PaymentRateExceededErrorType,
} from "./errors/PaymentRateExceededError.ts";
export { PaymentRefusedError, type PaymentRefusedErrorType } from "./errors/PaymentRefusedError.ts";
export { PriceExceedsPolicyError, type PriceExceedsPolicyErrorType } from "./errors/PriceExceedsPolicyError.ts";
export { ReceiverApiError, type ReceiverApiErrorType } from "./errors/ReceiverApiError.ts";
export { TransactionRevertedError, type TransactionRevertedErrorType } from "./errors/TransactionRevertedError.ts";
export {
  UntrustedChannelManagerError,
  type UntrustedChannelManagerErrorType,
} from "./errors/UntrustedChannelManagerError.ts";
export { WrongChainError, type WrongChainErrorType } from "./errors/WrongChainError.ts";
export type { ChannelLock } from "./locks/ChannelLock.ts";
export { defaultLock } from "./locks/defaultLock.ts";
export { memoryLock } from "./locks/memoryLock.ts";
export { webLock } from "./locks/webLock.ts";
// The protocol's errors and types an app meets through this entry's actions.
export {
  BaseError,
  type BaseErrorParameters,
  type ChannelEcho,
  MalformedHeaderError,
  type MalformedHeaderErrorType,
  type Payment,
  type PaymentFailure,
  type PaymentRequirements,
} from "./protocol/index.ts";
export type {
  AutoPayLimit,
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
export { createWalletStore, type WalletStore } from "./wallet/createWalletStore.ts";
export {
  type DiscoverWalletsParameters,
  type DiscoverWalletsReturnType,
  discoverWallets,
} from "./wallet/discoverWallets.ts";
export type { WalletDetail } from "./wallet/WalletDetail.ts";
