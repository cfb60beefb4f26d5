import type { PaymentClient } from "../client/PaymentClient.ts";
import { PriceExceedsPolicyError } from "../errors/PriceExceedsPolicyError.ts";
import type { Payment, PaymentRequirements } from "../protocol/index.ts";
import { channelAutoPay, recentAutoPayments } from "./autoPay.ts";
import { type FetchWithStoredChannelErrorType, storedChannelFor } from "./fetchWithStoredChannel.ts";
import { payChosenChannel } from "./pay.ts";
import { receiverLockName } from "./receiverLockName.ts";

export type PreparePaymentParameters = {
  /** The receiver's terms: what a 402 (or an announced price route) asks for. */
  requirements: PaymentRequirements;
};
/** The payment signed; undefined when no stored channel can pay it. */
export type PreparePaymentReturnType = Payment | undefined;
export type PreparePaymentErrorType = FetchWithStoredChannelErrorType;

/**
 * Signs now the payment `fetchWithStoredChannel` would make for `requirements` — on the channel it would choose,
 * after the same checks: the spending policy, the channel's automatic limits (price and rate), the budget, the
 * deposit — and neither sends nor records it. For a payment handed over before the request that carries it exists:
 * the payment worker puts it in its navigation preload header, so the browser sends the reader's next paid
 * navigation with it before the worker has started. The receiver takes it at most once, and only as the channel's
 * very next balance: once any other payment is made on the channel it is stale, and refused.
 * When the receiver took it, `recordPreparedPayment` records it.
 *
 * @example
 * import { preparePayment } from "@micro-raiden/web-client";
 * import { encodePreloadPaymentHeader } from "@micro-raiden/web-client/protocol";
 * const payment = await preparePayment(client, { requirements });
 * if (payment) await registration.navigationPreload.setHeaderValue(encodePreloadPaymentHeader({ payment, price }));
 */
export async function preparePayment(
  client: PaymentClient,
  { requirements }: PreparePaymentParameters,
): Promise<PreparePaymentReturnType> {
  const { maxPrice } = client.policy;
  if (maxPrice !== undefined && requirements.price > maxPrice) {
    throw new PriceExceedsPolicyError({ price: requirements.price, maxPrice });
  }
  const prepared = await payChosenChannel(client, {
    amount: requirements.price,
    ...storedChannelFor(client, requirements),
    // Signed, never sent here: `payChosenChannel` records only what a receiver accepted.
    send: async (payment) => ({ accepted: false, result: payment }),
  });
  return prepared.channel ? prepared.result : undefined;
}

export type RecordPreparedPaymentParameters = {
  /** The chain of the channel `payment` is on. */
  chainId: number;
  /** A payment `preparePayment` made, which the receiver accepted (its paid answer echoes that balance). */
  payment: Payment;
  /** The price it paid: the channel's recorded balance must be exactly this much below the payment's. */
  amount: bigint;
};

/**
 * Records a prepared payment the receiver accepted as the channel's balance, as `pay` records a payment it sent
 * (with the channel's automatic payments of the minute). Nothing when the channel moved on meanwhile (the same
 * payment recorded already, or resynchronized from the receiver's echo): resolves with whether it recorded it.
 *
 * @example
 * import { recordPreparedPayment } from "@micro-raiden/web-client";
 * if (paidWith(response, payment)) await recordPreparedPayment(client, { chainId, payment, amount: price });
 */
export function recordPreparedPayment(
  client: PaymentClient,
  { chainId, payment, amount }: RecordPreparedPaymentParameters,
): Promise<boolean> {
  const key = { chainId, ...payment };
  return client.lock(receiverLockName(key), async () => {
    const channel = await client.storage.get(key);
    if (!channel || channel.balance + amount !== payment.balance) return false;
    const automatic = client.signing === "session" && channel.sessionKey !== undefined;
    const limit = automatic ? channelAutoPay(channel, client.policy) : undefined;
    const now = Date.now();
    await client.storage.put({
      ...channel,
      balance: payment.balance,
      balanceSignature: payment.signature,
      ...(limit ? { autoPaidAt: [...recentAutoPayments(channel, now), now] } : {}),
    });
    return true;
  });
}
