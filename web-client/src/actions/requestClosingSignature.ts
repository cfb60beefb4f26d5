import type { Hex, UserRejectedRequestErrorType } from "viem";
import type { ChannelClient } from "../client/createChannelClient.ts";
import type { AccountMismatchErrorType } from "../errors/AccountMismatchError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import type { FetchErrorType } from "../errors/FetchErrorType.ts";
import type { NotConnectedErrorType } from "../errors/NotConnectedError.ts";
import { ReceiverApiError, type ReceiverApiErrorType } from "../errors/ReceiverApiError.ts";
import {
  channelPath,
  closeRequestTypedData,
  decodeCloseResponseBody,
  decodeErrorBody,
  encodeCloseRequestBody,
  MalformedBodyError,
  verifyClosingSignature,
} from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { channelDomain, channelMessage } from "../storage/channelMessage.ts";
import { type SignBalanceProofErrorType, signBalanceProof } from "./signBalanceProof.ts";
import { type SignForChannelErrorType, signForChannel } from "./signForChannel.ts";

/** How long a close request stays valid, in seconds. */
const closeRequestLifetime = 600;

export type RequestClosingSignatureParameters = {
  channel: StoredChannel;
  /** The receiver's REST API root, e.g. `https://site.example/api/1` (a 402's RDN-Gateway-Path on its origin). */
  gatewayUrl: string;
};
export type RequestClosingSignatureReturnType = Hex;
export type RequestClosingSignatureErrorType =
  | ReceiverApiErrorType
  | AccountMismatchErrorType
  | NotConnectedErrorType
  | UserRejectedRequestErrorType
  | SignBalanceProofErrorType
  | SignForChannelErrorType
  | FetchErrorType
  | ErrorType;

/**
 * Asks the receiver's REST API for its closing signature at the channel's balance
 * (`DELETE <gatewayUrl>/channels/<sender>/<openBlock>` with the sender's proof and a signed close request) and
 * checks that it is the receiver's before returning it. Anything else is ReceiverApiError.
 *
 * @example
 * import { requestClosingSignature } from "@micro-raiden/web-client";
 * const closingSignature = await requestClosingSignature(client, { channel, gatewayUrl: "http://localhost:3000/api/1" });
 */
export async function requestClosingSignature(
  client: ChannelClient,
  { channel, gatewayUrl }: RequestClosingSignatureParameters,
): Promise<RequestClosingSignatureReturnType> {
  const balanceSignature =
    channel.balanceSignature ?? (await signBalanceProof(client, { channel, balance: channel.balance }));
  // The request itself is signed too, with a deadline: a balance proof alone could be replayed by anyone who saw
  // it (for instance in a withdraw transaction) to make the receiver stop serving the channel.
  const deadline = BigInt(Math.floor(Date.now() / 1000) + closeRequestLifetime);
  const closeRequestSignature = await signForChannel(
    client,
    channel,
    closeRequestTypedData(channelDomain(channel), { ...channelMessage(channel, channel.balance), deadline }),
  );
  const url = `${gatewayUrl.replace(/\/$/, "")}${channelPath(channel)}`;
  const response = await client.fetch(url, {
    method: "DELETE",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(
      encodeCloseRequestBody({ balance: channel.balance, balanceSignature, deadline, closeRequestSignature }),
    ),
  });
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = errorOf(body);
    throw new ReceiverApiError({ status: response.status, url, code: error?.code, message: error?.message });
  }
  let closeSignature: Hex;
  try {
    ({ closeSignature } = decodeCloseResponseBody(body));
  } catch (error) {
    if (!(error instanceof MalformedBodyError)) throw error;
    throw new ReceiverApiError({ status: response.status, url, message: error.shortMessage, cause: error });
  }
  const valid = await verifyClosingSignature({
    domain: channelDomain(channel),
    message: channelMessage(channel, channel.balance),
    signature: closeSignature,
  });
  if (!valid) {
    throw new ReceiverApiError({
      status: response.status,
      url,
      message: "the closing signature is not the receiver's",
    });
  }
  return closeSignature;
}

/** The error of a protocol error body, or undefined for anything else (a proxy's page, a framework's 404). */
function errorOf(body: unknown) {
  try {
    return decodeErrorBody(body).error;
  } catch {
    return undefined;
  }
}
