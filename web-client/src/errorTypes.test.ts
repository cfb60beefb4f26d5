// Each action's error union, pinned: every error the action can throw — its own, those of the viem actions it calls,
// and the catch-all — is a member, so a caller's `error.name` narrows to it. These are type checks: tsc
// (`npm run typecheck`) fails with the names a union lost (`Type 'true' does not satisfy the expected type
// '"ContractFunctionExecutionError"'`), and when a bare `Error` in a union would defeat narrowing. The test at the
// end checks that the names narrowed on are the errors' own.
import assert from "node:assert/strict";
import { it } from "node:test";
import {
  type AddChainErrorType,
  type GetAddressErrorType,
  type GetBlockErrorType,
  type GetChainIdErrorType,
  type GetCodeErrorType,
  type GetContractEventsErrorType,
  type ReadContractErrorType,
  type SignTypedDataErrorType,
  type SwitchChainErrorType,
  UserRejectedRequestError,
  type UserRejectedRequestErrorType,
  type WaitForTransactionReceiptErrorType,
  type WriteContractErrorType,
} from "viem";
import type { RequestErrorType } from "viem/utils";
import type { ErrorType } from "./errors/ErrorType.ts";
import type { FetchErrorType } from "./errors/FetchErrorType.ts";
import {
  type AccountMismatchErrorType,
  type BudgetExceededErrorType,
  type ChannelManagerRevertErrorType,
  type ChannelNotOpenErrorType,
  type ChannelRequiredErrorType,
  type CloseChannelErrorType,
  type CloseChannelUncooperativelyErrorType,
  type ConnectErrorType,
  type DetectDepositMethodErrorType,
  type EnsureChainErrorType,
  type FetchWithPaymentErrorType,
  type FetchWithStoredChannelErrorType,
  type GatewayUrlRequiredErrorType,
  type GetChannelsErrorType,
  type GetSettlementErrorType,
  type InsufficientDepositErrorType,
  type MalformedHeaderErrorType,
  type NoAccountErrorType,
  type NoChannelOpenedErrorType,
  NotConnectedError,
  type NotConnectedErrorType,
  type OpenChannelErrorType,
  type PayErrorType,
  type PaymentOutcomeUnknownErrorType,
  type PaymentRateExceededErrorType,
  type PaymentRefusedErrorType,
  type PriceExceedsPolicyErrorType,
  type ReceiverApiErrorType,
  type ReconnectErrorType,
  type RefreshChannelErrorType,
  type RequestClosingSignatureErrorType,
  type SettleChannelErrorType,
  type SignBalanceProofErrorType,
  type SyncChannelsErrorType,
  type TopUpErrorType,
  type TransactionRevertedErrorType,
  type UntrustedChannelManagerErrorType,
  type VerifyChannelManagerErrorType,
  type WrongChainErrorType,
} from "./index.ts";

/** The names of the errors in `Members` that `Union` does not take. */
type Lost<Union, Members extends Error> = Members extends Union ? never : Members["name"];
/** The members of `Union` whose `name` is any string (a bare `Error`): narrowing on a name would keep them all. */
type Loose<Union> = Union extends { name: infer Name } ? (string extends Name ? Union : never) : never;
/**
 * `true` when `Union` takes every error in `Members` and each member has a name of its own; otherwise the names it
 * lost, or a sentence, which `true` is not.
 */
type Takes<Union, Members extends Error> = [Loose<Union>] extends [never]
  ? [Lost<Union, Members>] extends [never]
    ? true
    : Lost<Union, Members>
  : "a member named by any string, such as Error: end with ErrorType instead";

// What the actions share, spelled out here rather than taken from the helpers' own unions, which these pin too.
/** A wallet or node request (`eth_accounts`, `eth_chainId`): a "Reject" is viem's UserRejectedRequestError in it. */
type Request = RequestErrorType | UserRejectedRequestErrorType;
/** The wallet's current account (`eth_accounts`), without a connection or an account. */
type Account = NotConnectedErrorType | Request;
/** The channel's sender as the wallet's current account. */
type Sender = AccountMismatchErrorType | Account;
/** ensureChain: the chain read, switched or added. */
type Chain = WrongChainErrorType | GetChainIdErrorType | SwitchChainErrorType | AddChainErrorType;
/** A channel's typed data signed with its session key or the wallet (signForChannel). */
type Signature = Sender | Chain | SignTypedDataErrorType;
/** A manager transaction sent and mined (mapContractError, waitForSuccess). */
type Transaction =
  | ChannelManagerRevertErrorType
  | TransactionRevertedErrorType
  | WriteContractErrorType
  | WaitForTransactionReceiptErrorType;
/** verifyChannelManager: the address checked, the chain asked, the code read. */
type Manager = UntrustedChannelManagerErrorType | GetAddressErrorType | GetChainIdErrorType | GetCodeErrorType;
/** A deposit by permit, ERC-1363 or approve (detectDepositMethod, depositTransaction). */
type Deposit = ReadContractErrorType | GetBlockErrorType | SignTypedDataErrorType | Transaction;
/** A receiver's REST API asked with the client's fetch. */
type Receiver = ReceiverApiErrorType | FetchErrorType;
/** refreshChannel: one channel read from the manager. */
type Refresh = NotConnectedErrorType | ReadContractErrorType;
/** pay, on its own: the policy, the channel, then signBalanceProof. */
type Payment =
  | ChannelNotOpenErrorType
  | PriceExceedsPolicyErrorType
  | PaymentRateExceededErrorType
  | InsufficientDepositErrorType
  | BudgetExceededErrorType
  | Signature;
/** fetchWithStoredChannel: the 402 read, a stored channel chosen and paid, the request sent. */
type StoredChannelPayment =
  | MalformedHeaderErrorType
  | ChannelRequiredErrorType
  | PaymentRefusedErrorType
  | PaymentOutcomeUnknownErrorType
  | FetchErrorType
  | Payment;
/** openChannel, either way in. */
type Open = Account | Chain | Manager | Deposit | NoChannelOpenedErrorType | Receiver;

const pinned: Record<string, true> = {
  connect: true satisfies Takes<ConnectErrorType, NoAccountErrorType | Request | ErrorType>,
  reconnect: true satisfies Takes<ReconnectErrorType, Request | ErrorType>,
  ensureChain: true satisfies Takes<EnsureChainErrorType, Chain | UserRejectedRequestErrorType | ErrorType>,
  verifyChannelManager: true satisfies Takes<VerifyChannelManagerErrorType, Manager | ErrorType>,
  detectDepositMethod: true satisfies Takes<DetectDepositMethodErrorType, ReadContractErrorType | ErrorType>,
  openChannel: true satisfies Takes<OpenChannelErrorType, Open | ErrorType>,
  topUp: true satisfies Takes<TopUpErrorType, Sender | Chain | Manager | Deposit | Refresh | ErrorType>,
  signBalanceProof: true satisfies Takes<SignBalanceProofErrorType, Signature | ErrorType>,
  pay: true satisfies Takes<PayErrorType, Payment | ErrorType>,
  requestClosingSignature: true satisfies Takes<RequestClosingSignatureErrorType, Signature | Receiver | ErrorType>,
  closeChannel: true satisfies Takes<
    CloseChannelErrorType,
    GatewayUrlRequiredErrorType | Signature | Receiver | Transaction | ErrorType
  >,
  closeChannelUncooperatively: true satisfies Takes<
    CloseChannelUncooperativelyErrorType,
    Sender | Chain | Transaction | ErrorType
  >,
  settleChannel: true satisfies Takes<SettleChannelErrorType, Account | Chain | Transaction | ErrorType>,
  refreshChannel: true satisfies Takes<RefreshChannelErrorType, Refresh | ErrorType>,
  getChannels: true satisfies Takes<GetChannelsErrorType, Refresh | ErrorType>,
  syncChannels: true satisfies Takes<SyncChannelsErrorType, Refresh | GetContractEventsErrorType | ErrorType>,
  getSettlement: true satisfies Takes<GetSettlementErrorType, GetContractEventsErrorType | ErrorType>,
  fetchWithStoredChannel: true satisfies Takes<FetchWithStoredChannelErrorType, StoredChannelPayment | ErrorType>,
  fetchWithPayment: true satisfies Takes<FetchWithPaymentErrorType, StoredChannelPayment | Open | Refresh | ErrorType>,
};

it("the names the unions narrow on are the errors' own", () => {
  const errors: OpenChannelErrorType[] = [
    new NotConnectedError(),
    new UserRejectedRequestError(new Error("User rejected the request.")) as UserRejectedRequestErrorType,
  ];
  const names = errors.map((error) => {
    switch (error.name) {
      case "NotConnectedError":
        return error.name;
      case "UserRejectedRequestError":
        return `${error.name} ${error.code}`;
      default:
        return "another";
    }
  });
  assert.deepEqual(names, ["NotConnectedError", "UserRejectedRequestError 4001"]);
  assert.equal(Object.keys(pinned).length, 19);
});
