// A channel as the receiver's REST API describes it (GET <gateway>/channels…).
import type { Address, Hex } from "viem";
import { MalformedBodyError } from "./MalformedBodyError.ts";
import { readJsonBody } from "./readJsonBody.ts";
import { maxUint64 } from "./wire.ts";

/**
 * Where a channel stands for the receiver, by the chain only: `pending` (seen on chain, not yet confirmed enough to
 * take payments), `open`, `closing` (the sender requested an uncooperative close on chain: the challenge period
 * runs) or `settled` (paid out, gone). A channel whose sender got its closing signature from the REST API refuses
 * payments but stays `open` until the receiver reads its `ChannelSettled`, then is `settled` (never `closing`).
 */
export const channelStates = ["pending", "open", "closing", "settled"] as const;
export type ReceiverChannelState = (typeof channelStates)[number];

/** A channel description, typed. `details` only for the operator (what the sender paid is not public). */
export type ChannelDescription = {
  sender: Address;
  openBlock: bigint;
  /** The confirmed deposit (0 while the channel is `pending`). */
  deposit: bigint;
  state: ReceiverChannelState;
  details?:
    | {
        /** The last balance the receiver accepted. */
        balance: bigint;
        /** What the receiver has withdrawn on chain so far. */
        withdrawn: bigint;
        /** The proof for `balance`; undefined while nothing was paid. */
        balanceSignature: Hex | undefined;
      }
    | undefined;
};

/** A channel description as it travels. */
export type ChannelDescriptionJson = {
  sender_address: Address;
  open_block: string;
  deposit: string;
  state: ReceiverChannelState;
  balance?: string;
  withdrawn?: string;
  balance_signature?: Hex | null;
};

/**
 * The JSON of a channel description.
 *
 * @example
 * import { encodeChannelDescription } from "@micro-raiden/web-client/protocol";
 * return Response.json(encodeChannelDescription({ sender, openBlock, deposit, state: "open" }));
 */
export function encodeChannelDescription(channel: ChannelDescription): ChannelDescriptionJson {
  const { details } = channel;
  return {
    sender_address: channel.sender,
    open_block: channel.openBlock.toString(),
    deposit: channel.deposit.toString(),
    state: channel.state,
    ...(details
      ? {
          balance: details.balance.toString(),
          withdrawn: details.withdrawn.toString(),
          balance_signature: details.balanceSignature ?? null,
        }
      : {}),
  };
}

/**
 * Validates one parsed channel description. `balance`, `withdrawn` and `balance_signature` (null when nothing was
 * paid) come all together or not at all. Other fields are ignored. Throws MalformedBodyError.
 *
 * @example
 * import { decodeChannelDescription } from "@micro-raiden/web-client/protocol";
 * const { state, deposit } = decodeChannelDescription(await response.json());
 */
export function decodeChannelDescription(json: unknown): ChannelDescription {
  const body = readJsonBody(json);
  const description: ChannelDescription = {
    sender: body.address("sender_address"),
    openBlock: body.uint("open_block", maxUint64),
    deposit: body.uint("deposit"),
    state: body.oneOf("state", channelStates),
  };
  if (!body.has("balance") && !body.has("withdrawn") && !body.has("balance_signature")) return description;
  return {
    ...description,
    details: {
      balance: body.uint("balance"),
      withdrawn: body.uint("withdrawn"),
      balanceSignature: body.has("balance_signature") ? body.signature("balance_signature") : undefined,
    },
  };
}

/**
 * Validates a parsed list of channel descriptions (GET <gateway>/channels, GET <gateway>/channels/<sender>).
 *
 * @example
 * import { decodeChannelDescriptions } from "@micro-raiden/web-client/protocol";
 * const channels = decodeChannelDescriptions(await response.json());
 */
export function decodeChannelDescriptions(json: unknown): ChannelDescription[] {
  if (!Array.isArray(json)) throw new MalformedBodyError({ field: "(root)", reason: "must be a JSON array" });
  return json.map((entry: unknown, index) => {
    try {
      return decodeChannelDescription(entry);
    } catch (error) {
      if (!(error instanceof MalformedBodyError)) throw error;
      throw new MalformedBodyError({ field: `[${index}].${error.field}`, reason: error.reason });
    }
  });
}
