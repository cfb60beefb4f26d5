import type {
  BlockRecord,
  ChainEvent,
  ChallengeRecord,
  ChannelFilter,
  ChannelTotals,
  ClosingAgreementRecord,
  EarningsRecord,
  ProofRecord,
  StoredChannel,
} from "./records.ts";

/**
 * Durable state of a receiver. Every write is committed (and on disk) when the call returns; the receiver sends
 * paid content only after `saveProofs` returned. Implementations: `sqliteStore` (node:sqlite).
 */
export interface ProofStore {
  /** Commits a batch of accepted proofs in one transaction (group commit); a later proof replaces an earlier. */
  saveProofs(proofs: readonly ProofRecord[]): void;
  loadProofs(): ProofRecord[];

  /** The last block the watcher processed (the cursor), or undefined before the first sync. */
  lastBlock(): BlockRecord | undefined;
  blockHash(number: bigint): BlockRecord["hash"] | undefined;
  /** The highest stored block below `number`. */
  blockBelow(number: bigint): BlockRecord | undefined;
  /** Records processed blocks and their events in one transaction; the cursor moves to the highest block. */
  appendBlocks(blocks: readonly BlockRecord[], events: readonly ChainEvent[]): void;
  /** Forgets every block and event above `number` (a reorg replaced them). */
  rollbackTo(number: bigint): void;
  loadEvents(): ChainEvent[];

  /**
   * The channels `filter` selects, each with its events, proof and closing mark, read through indexes: one channel
   * costs a few index lookups however many are stored (the receiver's channel book reads a channel on a miss).
   */
  loadChannels(filter: ChannelFilter): StoredChannel[];
  /**
   * The /stats totals over every stored channel, counting only channels and deposits in blocks at or below
   * `confirmedBlock` as confirmed (aggregated by the database, never by reading every channel into memory).
   */
  channelTotals(confirmedBlock: bigint): ChannelTotals;

  /** Records a closing signature handed out (durably, before it is sent). */
  saveClosingAgreement(agreement: ClosingAgreementRecord): void;
  /** Forgets a closing mark (the operator's close failed: the channel takes payments again). */
  deleteClosingAgreement(sender: ClosingAgreementRecord["sender"], openBlock: bigint): void;
  loadClosingAgreements(): ClosingAgreementRecord[];

  saveChallenge(challenge: ChallengeRecord): void;
  loadChallenges(): ChallengeRecord[];

  /**
   * What each hour earned from each resource, from the hour holding `since` (ms since the epoch) on, oldest first:
   * every rise of a stored balance counts once, at its proof's `committedAt`.
   */
  loadEarnings(since: number): EarningsRecord[];

  close(): void;
}
