import type { ExactOffer, ExactPayment, X402ErrorReason, X402RequirementJson } from "@micro-raiden/web-client/protocol";
import type { Address, Hash } from "viem";
import type { ExactLedger } from "./exactLedger.ts";

/** Why a facilitator refused or could not settle an `exact` payment: x402's reason code and a sentence. */
export type ExactRefusal = { reason: X402ErrorReason | (string & {}); message: string };

/**
 * What verifies and settles `exact` payments for the receiver: itself (`localFacilitator`, through its one nonce
 * source) or an x402 facilitator's HTTP API (`httpFacilitator`). Both answer in x402's terms.
 */
export type ExactFacilitator = {
  /** Checks the authorization pays `requirement` and can be settled now; changes nothing. */
  verify(
    payment: ExactPayment,
    requirement: X402RequirementJson,
  ): Promise<{ valid: true } | ({ valid: false } & ExactRefusal)>;
  /**
   * Settles it on chain and waits for the receipt. `sent: false` on a refusal means no transaction went out (the
   * authorization is untouched); a settlement whose outcome is unknown (the receipt never came) says `sent: true`.
   */
  settle(
    payment: ExactPayment,
    requirement: X402RequirementJson,
  ): Promise<{ success: true; transaction: Hash; payer: Address } | ({ success: false; sent: boolean } & ExactRefusal)>;
};

/** A receiver's `exact` scheme: what its 402s offer, who settles, and where payments are recorded. */
export type ReceiverExact = {
  readonly offer: ExactOffer;
  readonly facilitator: ExactFacilitator;
  readonly ledger: ExactLedger;
};
