import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { network } from "hardhat";
import { getAddress } from "viem";
import { deployFixture, expectRevert } from "./fixture.ts";

describe("DemoToken", async () => {
  it("has 18 decimals, EIP-2612 permit and ERC-1363", async () => {
    const { token } = await deployFixture();
    assert.equal(await token.read.decimals(), 18);
    assert.equal(await token.read.nonces(["0x0000000000000000000000000000000000000001"]), 0n);
    assert.equal(await token.read.supportsInterface(["0xb0202a11"]), true); // IERC1363
  });

  it("lets anyone mint on a local or test network", async () => {
    const { token, other } = await deployFixture();
    assert.equal(await token.read.isTestNetwork(), true);
    const before = await token.read.balanceOf([other.account.address]);
    await token.write.mint([other.account.address, 5n], { account: other.account });
    assert.equal(await token.read.balanceOf([other.account.address]), before + 5n);
  });

  it("lets only the deployer mint on any other chain", async () => {
    const { viem } = await network.create({ override: { chainId: 1 } });
    const [deployer, stranger] = await viem.getWalletClients();
    assert.ok(deployer && stranger);
    const token = await viem.deployContract("DemoToken", ["Demo Token", "TKN", deployer.account.address]);
    assert.equal(await token.read.isTestNetwork(), false);
    await expectRevert(
      token.write.mint([stranger.account.address, 5n], { account: stranger.account }),
      "MintNotAllowed",
      [getAddress(stranger.account.address), 1n],
    );
    await token.write.mint([stranger.account.address, 5n], { account: deployer.account });
    assert.equal(await token.read.balanceOf([stranger.account.address]), 5n);
  });
});
