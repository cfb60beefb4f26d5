import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, it } from "node:test";
import { workerProofWriter } from "./proofWriter.ts";
import type { ProofRecord } from "./records.ts";
import { sqliteStore } from "./sqliteStore.ts";
import { describeStoreContract } from "./storeContract.test-helper.ts";

async function tempPath() {
  return join(await mkdtemp(join(tmpdir(), "store-")), "receiver.db");
}

describeStoreContract("sqliteStore", async () => {
  const path = await tempPath();
  return {
    open: async () => sqliteStore(path),
    remove: () => rm(dirname(path), { recursive: true, force: true }),
  };
});

describe("sqliteStore", () => {
  it("creates the file readable by its owner only", async () => {
    const path = await tempPath();
    sqliteStore(path).close();
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it("counts the earnings of proofs the worker thread writes, as its own", async () => {
    const path = await tempPath();
    const store = sqliteStore(path);
    const writer = workerProofWriter(path);
    const sender = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const signature = `0x${"11".repeat(64)}1b` as const;
    try {
      await writer.write([
        { sender, openBlock: 5n, balance: 2n ** 70n, signature, request: "GET /a?p=1", committedAt: 7 },
      ]);
      await writer.write([
        { sender, openBlock: 5n, balance: 2n ** 70n + 2n, signature, request: "GET /a", committedAt: 8 },
      ]);
      assert.deepEqual(store.loadEarnings(0), [{ hourStart: 0, resource: "/a", amount: 2n ** 70n + 2n, payments: 2 }]);
    } finally {
      await writer.close();
      store.close();
    }
  });

  it("counts a batch the worker thread writes as one proof at a time, a channel's two rises in it included", async () => {
    const path = await tempPath();
    const store = sqliteStore(path);
    const writer = workerProofWriter(path);
    const sender = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
    const signature = `0x${"11".repeat(64)}1b` as const;
    const proof = (openBlock: bigint, balance: bigint, request: string): ProofRecord => ({
      sender,
      openBlock,
      balance,
      signature,
      request,
      committedAt: 7,
    });
    try {
      await writer.write([proof(5n, 3n, "GET /a")]);
      await writer.write([
        proof(5n, 3n, "GET /a"),
        proof(5n, 10n, "GET /a"),
        proof(6n, 2n, "GET /b"),
        proof(5n, 12n, ""),
      ]);
      assert.deepEqual(store.loadEarnings(0), [
        { hourStart: 0, resource: "", amount: 2n, payments: 1 },
        { hourStart: 0, resource: "/a", amount: 10n, payments: 2 },
        { hourStart: 0, resource: "/b", amount: 2n, payments: 1 },
      ]);
      assert.deepEqual(
        store.loadProofs().map((p) => [p.openBlock, p.balance]),
        [
          [5n, 12n],
          [6n, 2n],
        ],
      );
    } finally {
      await writer.close();
      store.close();
    }
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
