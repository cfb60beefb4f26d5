/**
 * The HTTP header names of the 402 exchange, µRaiden's `RDN-` names plus `RDN-Chain-Id`. This is the only place
 * they are spelled out; servers, clients and tests import them from here.
 */
export const headerNames = {
  // Payment requirements, on every 402 and paid 200 response.
  gatewayPath: "RDN-Gateway-Path",
  receiverAddress: "RDN-Receiver-Address",
  contractAddress: "RDN-Contract-Address",
  tokenAddress: "RDN-Token-Address",
  // On a paid request too, optionally: the price the client pays (it paid before seeing this 402, at a price the
  // receiver announced for the route); a receiver whose price is another refuses the payment at once.
  price: "RDN-Price",
  chainId: "RDN-Chain-Id",
  // The channel the request named, echoed back with its last accepted balance and proof.
  senderAddress: "RDN-Sender-Address",
  senderBalance: "RDN-Sender-Balance",
  balanceSignature: "RDN-Balance-Signature",
  // Exactly one of these on a 402 that refused a payment.
  insufficientConfirmations: "RDN-Insufficient-Confirmations",
  nonexistingChannel: "RDN-Nonexisting-Channel",
  invalidBalanceProof: "RDN-Invalid-Balance-Proof",
  invalidAmount: "RDN-Invalid-Amount",
  // On a 402 when the receiver offers to open the reader's channel and pay the gas: `path=<endpoint>;
  // min-deposit=<decimal>` (codec in sponsorOffer.ts).
  sponsoredOpen: "RDN-Sponsored-Open",
  // On a 402 or a paid answer whose price holds for every path of a route (`/articles/:id`; codec in priceRoute.ts):
  // a client with a channel may then pay such a path with its first request instead of waiting for its 402.
  priceRoute: "RDN-Price-Route",
  // Response only: "1" on the bodiless 402 a receiver gives a navigation preload that says its payment worker pays
  // announced routes first (`navigationPreload.paysFirst`): the worker sends that navigation paid itself, so the
  // paywall page the preload would get is not rendered. The worker never shows this answer; it asks again.
  preloadSkipped: "RDN-Preload-Skipped",
  // Request only: the channel and the new cumulative balance (with `contractAddress`, `receiverAddress`,
  // `senderAddress` and `balanceSignature` above).
  openBlock: "RDN-Open-Block",
  balance: "RDN-Balance",
  // Request only, with a payment whose proof a key delegated off-chain signed (an origin that does not hold the
  // channel's session key): the sender's 65-byte `SignerDelegation` signature for that key, which is the address the
  // proof recovers to. Sent with every such payment, so the receiver keeps no state it could lose.
  signerDelegation: "RDN-Signer-Delegation",
  // Request only, with a payment: "1" asks the paid answer to set a one-time navigation ticket cookie (the paid
  // navigation fallback where no Service Worker can attach payments; see the widget README).
  navigationTicket: "RDN-Navigation-Ticket",
  // Request only, read by the widget's payment worker and ignored by the receiver: "1" marks a page script's GET as
  // one the reader's channel may pay automatically (within its limits). Without it the worker pays navigations only:
  // a paid image or a script's stray request is never paid silently.
  autoPay: "RDN-Auto-Pay",
  // x402 v2 (x402Requirements.ts): base64 JSON. On every 402, the payment options (our channel scheme and, for a
  // token with EIP-3009, `exact`) and why a payment was refused; on a request, an x402 payment; on a paid answer (and
  // a failed settlement), its settlement.
  paymentRequired: "PAYMENT-REQUIRED",
  paymentSignature: "PAYMENT-SIGNATURE",
  paymentResponse: "PAYMENT-RESPONSE",
} as const;

/**
 * The browser's navigation preload header (Service Workers) and the value the widget's payment worker gives it
 * (`registration.navigationPreload.setHeaderValue`) while it holds a grant: "I pay pages under an announced price
 * route with my first request". The browser's default value is "true". A receiver answers such an unpaid preload
 * under a route it announces with a bodiless 402 marked `RDN-Preload-Skipped` instead of its paywall page. The value
 * may also carry the payment for the reader's next page (preloadPayment.ts): the preload is then the paid request.
 */
export const navigationPreload = {
  header: "Service-Worker-Navigation-Preload",
  paysFirst: "rdn-pays-first",
  browserDefault: "true",
} as const;

export type HeaderName = (typeof headerNames)[keyof typeof headerNames];

/**
 * Longest header value any of our fields can legitimately have: an echoed delegated balance signature (150 bytes,
 * proof ‖ signer ‖ delegation) is 302 characters; every other value fits 132 (a 65-byte signature).
 */
export const maxHeaderValueLength = 302;
