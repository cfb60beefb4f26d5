import assert from "node:assert/strict";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, it } from "node:test";
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

  it("refuses a database written by a newer schema", async () => {
    const path = await tempPath();
    sqliteStore(path).close();
    const raw = new DatabaseSync(path);
    raw.exec("PRAGMA user_version = 99");
    raw.close();
    assert.throws(() => sqliteStore(path), /newer version/);
  });
});
