import { askPaymentWorker } from "./askPaymentWorker.ts";

/**
 * Stops automatic payments: the payment worker forgets every grant, pending wallet proof and paid page it kept. For
 * a reader who disconnects, switches account, or turns paid browsing off; `navigatePaid` grants again when they pay
 * next.
 * Resolves with whether a worker confirmed it (false where there is none: then nothing was granted either).
 *
 * @example
 * import { revokePaymentWorker } from "@micro-raiden/widget/navigation";
 * await revokePaymentWorker();
 */
export async function revokePaymentWorker(): Promise<boolean> {
  const registration = await globalThis.navigator?.serviceWorker?.getRegistration("/");
  const worker = registration?.active;
  return worker ? (await askPaymentWorker(worker, { type: "revoke" })) !== undefined : false;
}
