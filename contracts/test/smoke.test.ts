import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { deployFixture, signBalanceProof, TOKENS } from "./fixture.ts";

describe("smoke", () => {
  it("opens and withdraws", async () => {
    const f = await deployFixture();
    const openBlock = await f.openChannel();
    const balance = 5n * TOKENS;
    const sig = await signBalanceProof(f.sender, f.domain, {
      sender: f.sender.account.address,
      receiver: f.receiver.account.address,
      openBlock,
      balance,
    });
    await f.manager.write.withdraw([f.sender.account.address, openBlock, balance, sig], {
      account: f.receiver.account,
    });
    assert.equal(await f.token.read.balanceOf([f.receiver.account.address]), balance);
  });
});
