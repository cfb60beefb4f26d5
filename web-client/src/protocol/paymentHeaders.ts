// Codecs for the headers of the 402 exchange (see the protocol README). Servers encode requirements, echoes and
// failures and decode payments; clients do the reverse. Decoders validate everything and throw
// MalformedHeaderError; encoders take typed values, so what they write always decodes.
import type { Address, Hex } from "viem";
import { isPaymentFailureCode, type PaymentFailureCode, paymentFailures } from "./errorCodes.ts";
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import {
  maxUint64,
  parseAddress,
  parseBalanceSignature,
  parseChainId,
  parsePath,
  parseSignature,
  parseUint,
} from "./wire.ts";

/** Read access to headers: a Fetch `Headers` object, or anything with the same `get`. */
export type HeaderReader = { get(name: string): string | null };

/** What a paywalled resource costs and where to pay: on every 402 and paid 200. */
export type PaymentRequirements = {
  /** Path root of the receiver's REST API (`/api/1`). */
  gatewayPath: string;
  receiver: Address;
  contract: Address;
  token: Address;
  chainId: number;
  /** Price of this request, in token base units. */
  price: bigint;
};

/** The channel a request named, with the receiver's last accepted balance and the proof for it. */
export type ChannelEcho = {
  sender: Address;
  balance: bigint;
  /**
   * Absent when the receiver has accepted no payment on the channel yet. 150 bytes (`packDelegatedSignature`) when a
   * key delegated off-chain signed it: the sender's own delegation beside it lets every origin check it as its own.
   */
  signature: Hex | undefined;
};

/** Why a 402 refused a payment; `value` is the header's value (blocks still to wait for insufficient confirmations). */
export type PaymentFailure = { code: PaymentFailureCode; value: bigint };

/** A payment as the client sends it: the channel and the new cumulative balance, signed. */
export type Payment = {
  contract: Address;
  receiver: Address;
  sender: Address;
  openBlock: bigint;
  balance: bigint;
  signature: Hex;
  /**
   * The sender's `SignerDelegation` signature for the key that signed `signature`, when that key was delegated
   * off-chain rather than registered at open (see signerDelegationTypedData.ts).
   */
  delegation?: Hex | undefined;
};

/**
 * Headers of a 402 or paid 200 response.
 *
 * @example
 * import { encodePaymentResponseHeaders } from "@micro-raiden/web-client/protocol";
 * const response = new Response(null, { status: 402, headers: encodePaymentResponseHeaders({ requirements }) });
 */
export function encodePaymentResponseHeaders(parameters: {
  requirements: PaymentRequirements;
  echo?: ChannelEcho | undefined;
  failure?: PaymentFailure | undefined;
}): Record<string, string> {
  const { requirements, echo, failure } = parameters;
  const out: Record<string, string> = {
    [headerNames.gatewayPath]: requirements.gatewayPath,
    [headerNames.receiverAddress]: requirements.receiver,
    [headerNames.contractAddress]: requirements.contract,
    [headerNames.tokenAddress]: requirements.token,
    [headerNames.chainId]: String(requirements.chainId),
    [headerNames.price]: requirements.price.toString(),
  };
  if (echo) {
    out[headerNames.senderAddress] = echo.sender;
    out[headerNames.senderBalance] = echo.balance.toString();
    if (echo.signature) out[headerNames.balanceSignature] = echo.signature;
  }
  if (failure) out[paymentFailures[failure.code].header] = failure.value.toString();
  return out;
}

function required(headers: HeaderReader, name: string): string {
  const value = headers.get(name);
  if (value === null || value === "") throw new MalformedHeaderError({ header: name, reason: "missing" });
  return value;
}

/**
 * Decodes the payment headers of a 402 or 200 response. Throws MalformedHeaderError when a requirement is missing
 * or malformed, when the echo is partial, or when more than one failure reason is given.
 *
 * @example
 * import { decodePaymentResponseHeaders } from "@micro-raiden/web-client/protocol";
 * const { requirements, echo, failure } = decodePaymentResponseHeaders(response.headers);
 */
export function decodePaymentResponseHeaders(headers: HeaderReader): {
  requirements: PaymentRequirements;
  echo: ChannelEcho | undefined;
  failure: PaymentFailure | undefined;
} {
  const requirements: PaymentRequirements = {
    gatewayPath: parsePath(headerNames.gatewayPath, required(headers, headerNames.gatewayPath)),
    receiver: parseAddress(headerNames.receiverAddress, required(headers, headerNames.receiverAddress)),
    contract: parseAddress(headerNames.contractAddress, required(headers, headerNames.contractAddress)),
    token: parseAddress(headerNames.tokenAddress, required(headers, headerNames.tokenAddress)),
    chainId: parseChainId(headerNames.chainId, required(headers, headerNames.chainId)),
    price: parseUint(headerNames.price, required(headers, headerNames.price)),
  };

  let echo: ChannelEcho | undefined;
  const sender = headers.get(headerNames.senderAddress);
  if (sender !== null) {
    const signature = headers.get(headerNames.balanceSignature);
    echo = {
      sender: parseAddress(headerNames.senderAddress, sender),
      balance: parseUint(headerNames.senderBalance, required(headers, headerNames.senderBalance)),
      signature: signature === null ? undefined : parseBalanceSignature(headerNames.balanceSignature, signature),
    };
  } else if (headers.get(headerNames.senderBalance) !== null) {
    throw new MalformedHeaderError({ header: headerNames.senderAddress, reason: "missing beside a sender balance" });
  }

  let failure: PaymentFailure | undefined;
  for (const [code, { header }] of Object.entries(paymentFailures)) {
    const value = headers.get(header);
    if (value === null || !isPaymentFailureCode(code)) continue;
    if (failure) throw new MalformedHeaderError({ header, reason: "contradicts another failure reason" });
    failure = { code, value: parseUint(header, value) };
  }
  return { requirements, echo, failure };
}

/**
 * Whether a paid answer's headers echo `payment` itself: its sender, its balance and its proof (a proof a key
 * delegated off-chain signed is echoed followed by the signer and its delegation). A 2xx that does not (a cache, a
 * resource that became free, a redirect elsewhere, another payment) did not take it. False for malformed headers.
 *
 * @example
 * import { echoesPayment } from "@micro-raiden/web-client/protocol";
 * const paid = response.ok && echoesPayment(response.headers, payment);
 */
export function echoesPayment(headers: HeaderReader, payment: Payment): boolean {
  let echo: ChannelEcho | undefined;
  try {
    ({ echo } = decodePaymentResponseHeaders(headers));
  } catch {
    return false;
  }
  const proof = echo?.signature?.slice(0, payment.signature.length).toLowerCase();
  return (
    echo?.sender === payment.sender && echo.balance === payment.balance && proof === payment.signature.toLowerCase()
  );
}

/**
 * Headers of a paid request.
 *
 * @example
 * import { encodePaymentHeaders } from "@micro-raiden/web-client/protocol";
 * await fetch(url, { headers: encodePaymentHeaders(payment) });
 */
export function encodePaymentHeaders(payment: Payment): Record<string, string> {
  const headers: Record<string, string> = {
    [headerNames.contractAddress]: payment.contract,
    [headerNames.receiverAddress]: payment.receiver,
    [headerNames.senderAddress]: payment.sender,
    [headerNames.openBlock]: payment.openBlock.toString(),
    [headerNames.balance]: payment.balance.toString(),
    [headerNames.balanceSignature]: payment.signature,
  };
  if (payment.delegation) headers[headerNames.signerDelegation] = payment.delegation;
  return headers;
}

/** The headers every paid request carries (`RDN-Signer-Delegation` and `RDN-Price` may come beside them). */
export const paymentHeaderNames = [
  headerNames.contractAddress,
  headerNames.receiverAddress,
  headerNames.senderAddress,
  headerNames.openBlock,
  headerNames.balance,
  headerNames.balanceSignature,
] as const;

/**
 * Decodes the payment of a request: undefined when the request carries none of the payment headers (an unpaid
 * request), the payment when it carries all of them, and MalformedHeaderError for anything in between.
 *
 * @example
 * import { decodePaymentHeaders } from "@micro-raiden/web-client/protocol";
 * const payment = decodePaymentHeaders(request.headers); // undefined when unpaid
 */
export function decodePaymentHeaders(headers: HeaderReader): Payment | undefined {
  if (paymentHeaderNames.every((name) => headers.get(name) === null)) {
    if (headers.get(headerNames.signerDelegation) !== null) {
      throw new MalformedHeaderError({ header: headerNames.signerDelegation, reason: "given without a payment" });
    }
    return undefined;
  }
  const delegation = headers.get(headerNames.signerDelegation);
  return {
    contract: parseAddress(headerNames.contractAddress, required(headers, headerNames.contractAddress)),
    receiver: parseAddress(headerNames.receiverAddress, required(headers, headerNames.receiverAddress)),
    sender: parseAddress(headerNames.senderAddress, required(headers, headerNames.senderAddress)),
    openBlock: parseUint(headerNames.openBlock, required(headers, headerNames.openBlock), maxUint64),
    balance: parseUint(headerNames.balance, required(headers, headerNames.balance)),
    signature: parseSignature(headerNames.balanceSignature, required(headers, headerNames.balanceSignature)),
    ...(delegation === null ? {} : { delegation: parseSignature(headerNames.signerDelegation, delegation) }),
  };
}
