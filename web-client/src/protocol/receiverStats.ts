// The answer of GET <gateway>/stats: the receiver's public aggregates.
import type { Address } from "viem";
import { MalformedBodyError } from "./MalformedBodyError.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import { readJsonBody } from "./readJsonBody.ts";
import { parseChainId } from "./wire.ts";

/**
 * The receiver's stats, typed. Sums are in token base units. A channel still waiting for its confirmations (state
 * `pending`) is in no count and no sum.
 */
export type ReceiverStats = {
  /** The confirmed deposits (top-ups included once confirmed) of the channels `openChannels` counts. */
  depositSum: bigint;
  /**
   * Channels in state `open`: confirmed, no close on chain. Also those whose sender already got its closing
   * signature, until their `ChannelSettled` is read.
   */
  openChannels: number;
  /**
   * Channels in state `closing` — an uncooperative close requested on chain, challenge period running — NOT the
   * channels in state `pending` (unconfirmed), despite the name (µRaiden's `pending_channels`).
   */
  pendingChannels: number;
  /** Accepted balances not yet withdrawn, over channels not settled (`open` and `closing`). */
  balanceSum: bigint;
  /** Distinct senders with at least one channel `openChannels` counts. */
  uniqueSenders: number;
  /** The receiver's own token balance. */
  liquidBalance: bigint;
  token: Address;
  contract: Address;
  receiver: Address;
  chainId: number;
};

/** The stats as they travel: counts and the chain id are JSON numbers, amounts decimal strings. */
export type ReceiverStatsJson = {
  deposit_sum: string;
  open_channels: number;
  pending_channels: number;
  balance_sum: string;
  unique_senders: number;
  liquid_balance: string;
  token_address: Address;
  contract_address: Address;
  receiver_address: Address;
  chain_id: number;
};

/**
 * The JSON of the stats answer.
 *
 * @example
 * import { encodeReceiverStats } from "@micro-raiden/web-client/protocol";
 * return Response.json(encodeReceiverStats(stats));
 */
export function encodeReceiverStats(stats: ReceiverStats): ReceiverStatsJson {
  return {
    deposit_sum: stats.depositSum.toString(),
    open_channels: stats.openChannels,
    pending_channels: stats.pendingChannels,
    balance_sum: stats.balanceSum.toString(),
    unique_senders: stats.uniqueSenders,
    liquid_balance: stats.liquidBalance.toString(),
    token_address: stats.token,
    contract_address: stats.contract,
    receiver_address: stats.receiver,
    chain_id: stats.chainId,
  };
}

/**
 * Validates a parsed stats answer. Throws MalformedBodyError.
 *
 * @example
 * import { decodeReceiverStats } from "@micro-raiden/web-client/protocol";
 * const { openChannels, balanceSum } = decodeReceiverStats(await response.json());
 */
export function decodeReceiverStats(json: unknown): ReceiverStats {
  const body = readJsonBody(json);
  const chainId = body.count("chain_id");
  try {
    parseChainId("chain_id", String(chainId));
  } catch (error) {
    if (error instanceof MalformedHeaderError)
      throw new MalformedBodyError({ field: "chain_id", reason: error.reason });
    throw error;
  }
  return {
    depositSum: body.uint("deposit_sum"),
    openChannels: body.count("open_channels"),
    pendingChannels: body.count("pending_channels"),
    balanceSum: body.uint("balance_sum"),
    uniqueSenders: body.count("unique_senders"),
    liquidBalance: body.uint("liquid_balance"),
    token: body.address("token_address"),
    contract: body.address("contract_address"),
    receiver: body.address("receiver_address"),
    chainId,
  };
}
