import assert from "node:assert/strict";
import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { channelStorageKey } from "./ChannelStorage.ts";
import { fileStorage } from "./fileStorage.ts";
import { InvalidStoredChannelError } from "./InvalidStoredChannelError.ts";
import { serializeChannel } from "./serializeChannel.ts";
import { addresses, bareChannel, fullChannel, storageContract } from "./storageContract.test-helper.ts";

let directory = "";
let files = 0;
const freshPath = () => join(directory, `channels-${++files}.json`);

before(async () => {
  directory = await mkdtemp(join(tmpdir(), "micro-raiden-file-storage-"));
});
after(async () => {
  await rm(directory, { recursive: true, force: true });
});

storageContract("fileStorage", () => fileStorage(freshPath()));

const filter = { chainId: bareChannel.chainId, contract: addresses.contract, sender: addresses.sender };
const isInvalid = (field: string, path: string) => (error: unknown) =>
  error instanceof InvalidStoredChannelError && error.field === field && error.message.includes(path);

describe("fileStorage", () => {
  it("keeps channels across instances on the same path", async () => {
    const path = freshPath();
    await fileStorage(path).put(fullChannel);
    await fileStorage(path).put(bareChannel);
    const reopened = fileStorage(path);
    assert.deepEqual(await reopened.get(fullChannel), fullChannel);
    assert.deepEqual(await reopened.get(bareChannel), bareChannel);
    await reopened.delete(fullChannel);
    assert.equal(await fileStorage(path).get(fullChannel), undefined);
  });

  it("reads a missing file as empty without creating it", async () => {
    const path = freshPath();
    const storage = fileStorage(path);
    assert.equal(await storage.get(bareChannel), undefined);
    assert.deepEqual(await storage.list(filter), []);
    await storage.delete(bareChannel);
    await assert.rejects(stat(path), { code: "ENOENT" });
  });

  it("writes a versioned JSON file with amounts as decimal strings, readable only by its owner", async () => {
    const path = freshPath();
    await fileStorage(path).put(fullChannel);
    assert.deepEqual(JSON.parse(await readFile(path, "utf8")), {
      version: 1,
      channels: { [channelStorageKey(fullChannel)]: serializeChannel(fullChannel) },
    });
    if (process.platform !== "win32") assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it("makes a loosened file 0600 again on the next write", { skip: process.platform === "win32" }, async () => {
    const path = freshPath();
    await fileStorage(path).put(bareChannel);
    await chmod(path, 0o644);
    await fileStorage(path).put(fullChannel);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  });

  it("leaves no temporary files behind", async () => {
    const path = freshPath();
    const storage = fileStorage(path);
    await Promise.all([1n, 2n, 3n].map((openBlock) => storage.put({ ...bareChannel, openBlock })));
    await storage.delete({ ...bareChannel, openBlock: 2n });
    const name = path.slice(directory.length + 1);
    assert.deepEqual(
      (await readdir(directory)).filter((entry) => entry.startsWith(name)),
      [name],
    );
  });

  it("rejects every call on a file that is not JSON, and does not overwrite it", async () => {
    const path = freshPath();
    await writeFile(path, '{"version": 1, "channels": {', { mode: 0o600 });
    const storage = fileStorage(path);
    await assert.rejects(storage.get(bareChannel), isInvalid("(root)", path));
    await assert.rejects(storage.list(filter), isInvalid("(root)", path));
    await assert.rejects(storage.put(bareChannel), isInvalid("(root)", path));
    await assert.rejects(storage.delete(bareChannel), isInvalid("(root)", path));
    assert.equal(await readFile(path, "utf8"), '{"version": 1, "channels": {');
  });

  it("rejects a file of another shape or version", async () => {
    for (const [contents, field] of [
      ["[]", "(root)"],
      ['{"channels": {}}', "version"],
      ['{"version": 2, "channels": {}}', "version"],
      ['{"version": 1, "channels": []}', "channels"],
    ] as const) {
      const path = freshPath();
      await writeFile(path, contents);
      await assert.rejects(fileStorage(path).list(filter), isInvalid(field, path));
    }
  });

  it("rejects a tampered channel, naming the field and the channel", async () => {
    const path = freshPath();
    const key = channelStorageKey(bareChannel);
    await writeFile(
      path,
      JSON.stringify({ version: 1, channels: { [key]: { ...serializeChannel(bareChannel), balance: "-5" } } }),
    );
    await assert.rejects(fileStorage(path).get(bareChannel), (error: unknown) => {
      assert.ok(isInvalid("balance", path)(error));
      assert.match(String(error), new RegExp(key));
      return true;
    });
  });

  it("rejects a channel filed under another channel's key", async () => {
    const path = freshPath();
    const moved = { ...bareChannel, openBlock: 99n };
    await writeFile(
      path,
      JSON.stringify({ version: 1, channels: { [channelStorageKey(bareChannel)]: serializeChannel(moved) } }),
    );
    await assert.rejects(fileStorage(path).list(filter), isInvalid("(key)", path));
  });

  it("rejects a put into a directory that does not exist", async () => {
    const storage = fileStorage(join(directory, "missing", "channels.json"));
    await assert.rejects(storage.put(bareChannel), { code: "ENOENT" });
  });
});
