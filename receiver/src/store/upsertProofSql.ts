/**
 * Stores a channel's latest proof. Shared by the store and the proof writer's worker thread (its own connection),
 * so both write the same columns.
 */
export const upsertProofSql = `INSERT INTO proofs (sender, open_block, balance, signature, request, committed_at)
  VALUES (?, ?, ?, ?, ?, ?)
  ON CONFLICT (sender, open_block) DO UPDATE SET balance = excluded.balance, signature = excluded.signature,
    request = excluded.request, committed_at = excluded.committed_at`;
