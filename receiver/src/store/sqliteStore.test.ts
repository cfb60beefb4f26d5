import assert from "node:assert/strict";
import { mkdtemp, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, it } from "node:test";
import type { ChainEvent } from "./records.ts";
import { sqliteStore } from "./sqliteStore.ts";

const sender = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const signature = `0x${"11".repeat(64)}1b` as const;
const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;
const created = (block: bigint): ChainEvent => ({
  blockNumber: block,
  blockHash: hash(Number(block)),
  logIndex: 0,
  transactionHash: hash(999),
  name: "ChannelCreated",
  sender,
  openBlock: block,
  amounts: { deposit: 2n ** 95n },
  signer: undefined,
});

async function tempPath() {
  return join(await mkdtemp(join(tmpdir(), "store-")), "receiver.db");
}

describe("sqliteStore", () => {
  it("creates the file readable by its owner only, and migrates once (reopening keeps the data)", async () => {
    const path = await tempPath();
    const store = sqliteStore(path);
    store.saveProofs([{ sender, openBlock: 5n, balance: 2n ** 200n, signature, request: "GET /a", committedAt: 1 }]);
    store.close();
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const again = sqliteStore(path);
    assert.deepEqual(again.loadProofs(), [
      { sender, openBlock: 5n, balance: 2n ** 200n, signature, request: "GET /a", committedAt: 1 },
    ]);
    again.close();
  });

  it("a later proof for a channel replaces the earlier one", async () => {
    const store = sqliteStore(await tempPath());
    store.saveProofs([{ sender, openBlock: 5n, balance: 1n, signature, request: "GET /a", committedAt: 1 }]);
    store.saveProofs([{ sender, openBlock: 5n, balance: 2n, signature, request: "GET /a", committedAt: 1 }]);
    assert.deepEqual(
      store.loadProofs().map((p) => p.balance),
      [2n],
    );
    store.close();
  });

  it("keeps amounts exact (text, never floating point) and events in chain order", async () => {
    const store = sqliteStore(await tempPath());
    store.appendBlocks([{ number: 9n, hash: hash(9) }], [created(9n)]);
    store.appendBlocks([{ number: 7n, hash: hash(7) }], [created(7n)]);
    assert.deepEqual(
      store.loadEvents().map((e) => [e.blockNumber, e.amounts.deposit]),
      [
        [7n, 2n ** 95n],
        [9n, 2n ** 95n],
      ],
    );
    store.close();
  });

  it("rolls back blocks and events above a block", async () => {
    const store = sqliteStore(await tempPath());
    store.appendBlocks(
      [
        { number: 3n, hash: hash(3) },
        { number: 8n, hash: hash(8) },
      ],
      [created(3n), created(8n)],
    );
    store.rollbackTo(5n);
    assert.deepEqual(
      store.loadEvents().map((e) => e.blockNumber),
      [3n],
    );
    assert.equal(store.lastBlock()?.number, 3n);
    store.close();
  });

  it("prunes old cursor-only blocks but keeps every block with an event", async () => {
    const store = sqliteStore(await tempPath());
    store.appendBlocks([{ number: 10n, hash: hash(10) }], [created(10n)]);
    store.appendBlocks([{ number: 20n, hash: hash(20) }], []);
    store.appendBlocks([{ number: 20_050n, hash: hash(20_050) }], []);
    assert.equal(store.blockHash(10n), hash(10));
    assert.equal(store.blockHash(20n), undefined);
    assert.equal(store.lastBlock()?.number, 20_050n);
    store.close();
  });

  it("refuses a database written by a newer schema", async () => {
    const path = await tempPath();
    sqliteStore(path).close();
    const raw = new DatabaseSync(path);
    raw.exec("PRAGMA user_version = 99");
    raw.close();
    assert.throws(() => sqliteStore(path), /newer version/);
  });
});
