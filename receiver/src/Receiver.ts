import type {
  Deployment,
  Payment,
  PaymentRequirements,
  PaywallSite,
  ReceiverStats,
} from "@micro-raiden/web-client/protocol";
import type { Address, Hex } from "viem";
import type { ClaimResult } from "./chain/claimCredit.ts";
import type { OperatorResult } from "./chain/operator.ts";
import type { OperatorActivity } from "./chain/operatorActivity.ts";
import type { SponsoredOpener } from "./http/sponsoredOpener.ts";
import type { ChannelStatus } from "./receiver/channelBook.ts";
import type {
  AcceptedPayment,
  ClosingSignatureRequest,
  ClosingSignatureResult,
  PaymentRejection,
  Readiness,
} from "./receiver/createReceiverCore.ts";
import type { EarningsRecord } from "./store/records.ts";
import type { SharedPayments } from "./store/SharedPayments.ts";
import type { ReceiverExact } from "./x402/ExactFacilitator.ts";

/** A channel to this receiver as the REST API and the operator see it. */
export type ChannelInfo = {
  sender: Address;
  openBlock: bigint;
  state: ChannelStatus;
  /** The confirmed deposit. */
  deposit: bigint;
  /** The latest accepted balance (0 before the first payment). */
  balance: bigint;
  withdrawn: bigint;
  /** The proof for `balance`, when there is one. */
  balanceSignature: Hex | undefined;
};

/** The token channels to this receiver are paid in, as read from it once at startup (for prices shown to people). */
export type TokenInfo = {
  address: Address;
  /** `symbol()`, e.g. "TKN". */
  symbol: string;
  /** `decimals()`: a price of `p` base units is `p / 10^decimals` tokens. */
  decimals: number;
};

/**
 * A running receiver: what the paywall, the REST API and a site's own code use. Started with `startReceiver`
 * (which also follows the chain and defends the receiver's channels); stop it with `close()`.
 */
export type Receiver = {
  readonly address: Address;
  readonly deployment: Deployment;
  /** The deployment's token with its symbol and decimals, to show prices in tokens. */
  readonly token: TokenInfo;
  /** Root of the REST API, sent as RDN-Gateway-Path (default `/api/1`). */
  readonly gatewayPath: string;
  /**
   * What its 402 pages and status bars tell the paywall beside the requirements: where a browser may read the chain
   * (`startReceiver`'s `publicRpcUrl`), the chain's name, the token's symbol and decimals.
   */
  readonly site: PaywallSite;
  /**
   * How long a paid request may hold its channel, in ms: a handler or upstream that takes longer is answered 504 and
   * not charged, and nothing waits longer for a channel (`startReceiver`'s `requestTimeoutMs`, default 30 000).
   */
  readonly requestTimeoutMs: number;
  /** The database receivers share (PostgreSQL), where the paywall keeps navigation tickets; undefined on SQLite. */
  readonly sharedState?: Pick<SharedPayments, "issueTicket" | "redeemTicket"> | undefined;
  /** Present when the receiver sponsors opens: its 402s offer it and its REST API takes the requests. */
  readonly sponsor?: SponsoredOpener | undefined;
  /**
   * Present when the receiver takes x402's `exact` payments (its token has EIP-3009): its 402s offer them and
   * `paywall()` settles them, itself or through an x402 facilitator.
   */
  readonly exact?: ReceiverExact | undefined;
  /** What a 402 for `price` asks for. */
  requirements(price: bigint): PaymentRequirements;
  /**
   * Checks a payment for `price` on `request` (`METHOD /path?query`) and holds its channel until the caller
   * settles (charges) or releases it. `paywall()` does this for you.
   */
  acceptPayment(
    payment: Payment,
    price: bigint,
    request: string,
    paidPrice?: bigint,
  ): Promise<AcceptedPayment | PaymentRejection>;
  /** The receiver's closing signature for a sender's signed close request (the REST API's DELETE). */
  closingSignature(request: ClosingSignatureRequest): Promise<ClosingSignatureResult>;
  getChannel(sender: Address, openBlock: bigint): ChannelInfo | undefined;
  /** Channels, optionally of one sender and in some states. */
  listChannels(filter?: { sender?: Address | undefined; states?: readonly ChannelStatus[] | undefined }): ChannelInfo[];
  /**
   * Whether a load balancer should send it traffic (`GET /readyz`): its database answers and its view of the chain is
   * caught up with the one the receivers share.
   */
  readiness(): Promise<Readiness>;
  /**
   * What each hour earned from each resource, from the hour holding `since` (ms since the epoch) on, oldest first
   * (the operator's dashboard). Read from the store: on PostgreSQL, what every receiver sharing it earned.
   */
  earnings(since: number): EarningsRecord[];
  /** The latest transactions the operator's commands sent and mined, newest last (kept in this process's memory). */
  operatorActivity(): OperatorActivity[];
  /** The totals `GET /api/1/stats` reports. */
  getStats(): Promise<ReceiverStats>;
  /** Whether `withdraw` and `closeAll` can send transactions (a receiver started with a chain can). */
  readonly canOperate: boolean;
  /**
   * Withdraws on chain from every open channel owing at least `threshold`, without closing it: one `batchWithdraw`
   * transaction per 100 channels. A channel the contract skips is reported with `skipped` and withdraws nothing.
   */
  withdraw(threshold: bigint): Promise<OperatorResult[]>;
  /** Closes every channel that has a payment, at its latest proof. */
  closeAll(): Promise<OperatorResult[]>;
  /**
   * Tokens the channel manager holds for this receiver because the token refused to pay it (a blocklist, a receive
   * hook): withdrawn and settled all the same, but paid only by `claim`. As of the last block the watcher read.
   */
  claimableCredit(): bigint;
  /** Claims that credit (reverts while the token still refuses, or when there is none) and reads the chain again. */
  claim(): Promise<ClaimResult>;
  /** Reads the chain now instead of at the next poll (new channels, deposits, closes); resolves when done. */
  sync(): Promise<void>;
  /** Stops following the chain and closes the store. */
  close(): Promise<void>;
};
