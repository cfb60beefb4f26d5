import type { Address, Hex } from "viem";
import type { ProofCommit, ProofCommitResult } from "./proofCommit.ts";
import type { ChannelTotals, ClosingAgreementRecord, ProofRecord } from "./records.ts";

/** A channel's stored proof with what every receiver knows of its delivery (kept beside it in the database). */
export type StoredPayment = ProofRecord & {
  /** Its paid answer went out in full (a retry of it is charged as a new payment). */
  delivered: boolean;
  /** Its one delivery beyond the paid answer (a repeat, or a navigation ticket's reload) is used. */
  secondDeliveryUsed: boolean;
};

/** A channel as the database holds it now: the latest proof, and whether it takes no more payments. */
export type StoredChannelState = { current: StoredPayment | undefined; closing: boolean };

/** Which payment's second delivery to take: the stored proof must still be exactly this one. */
export type SecondDeliveryClaim = {
  sender: Address;
  openBlock: bigint;
  balance: bigint;
  signature?: Hex | undefined;
  /** For a repeat: the request it paid for, only while undelivered and committed at or after `committedSince`. */
  repeat?: { request: string; committedSince: number } | undefined;
};

/** A navigation ticket as stored: the hash of its value (the value itself is only in the reader's cookie). */
export type StoredTicket = {
  ticketHash: string;
  request: string;
  expiresAt: number;
  /** The payment whose second delivery the reload takes. */
  sender: Address;
  openBlock: bigint;
  balance: bigint;
};

/**
 * What receivers sharing one database decide through it, never through a process's memory: each payment's
 * compare-and-set, closing marks, the retry rule's delivery marks and navigation tickets. Each call
 * resolves once the database committed it; each throws when the database cannot be reached (the caller answers 503).
 */
export type SharedPayments = {
  commitProofs(commits: readonly ProofCommit[]): Promise<ProofCommitResult[]>;
  commitClosingAgreement(agreement: ClosingAgreementRecord): Promise<ProofCommitResult>;
  deleteClosingAgreement(sender: Address, openBlock: bigint): Promise<void>;
  /** The channel's stored proof (with its delivery marks) and closing mark, as committed now. */
  channelState(sender: Address, openBlock: bigint): Promise<StoredChannelState>;
  /** Takes the stored payment's second delivery; false when the proof moved on, or the delivery is used (or barred). */
  takeSecondDelivery(claim: SecondDeliveryClaim): Promise<boolean>;
  /** Records that the stored payment at `balance` was delivered (a retry of it is a new payment from now on). */
  markDelivered(sender: Address, openBlock: bigint, balance: bigint): Promise<void>;
  issueTicket(ticket: StoredTicket): Promise<void>;
  /**
   * Uses up the ticket (whatever the outcome) and takes its payment's second delivery: true only when the ticket was
   * live, for `request`, and the delivery was still free.
   */
  redeemTicket(ticketHash: string, request: string, now: number): Promise<boolean>;
  /** The /stats totals over every channel (`ProofStore.channelTotals`), added up by the database. */
  channelTotals(confirmedBlock: bigint): Promise<ChannelTotals>;
  /** The highest block the chain actor stored (its cursor), or undefined before the first; a readiness check. */
  storedHead(): Promise<bigint | undefined>;
};
