import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { memoryStorage } from "./memoryStorage.ts";
import { bareChannel, storageContract } from "./storageContract.test-helper.ts";

storageContract("memoryStorage", memoryStorage);

describe("memoryStorage", () => {
  it("gives each instance its own channels", async () => {
    const first = memoryStorage();
    await first.put(bareChannel);
    assert.equal(await memoryStorage().get(bareChannel), undefined);
  });
});
