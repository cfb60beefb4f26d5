// USDC's own token — Circle's FiatToken V2.2 behind its FiatTokenProxy, deployed as Circle deploys it — and the
// documented behaviours the channel manager and its clients rely on (listed in contracts/IFiatTokenV2_2.sol):
// USDC's shape and EIP-712 domain, EIP-2612 permit, EIP-3009 authorizations, the blacklist, pause and minting.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { permitTypedData, transferWithAuthorizationTypes } from "@micro-raiden/web-client/protocol";
import {
  type Abi,
  type AbiEvent,
  type AbiFunction,
  domainSeparator,
  getAddress,
  maxUint256,
  parseEventLogs,
  parseSignature,
  toFunctionSelector,
  zeroAddress,
} from "viem";
import { fiatTokenArtifact, fiatTokenProxyAbi, linkBytecode, masterMinterAbi } from "../scripts/fiatToken.ts";
import { deployFiatTokenFixture, expectRevertReason, randomNonce, USDC } from "./fiatTokenFixture.ts";

const BLACKLISTED = "Blacklistable: account is blacklisted";
const PAUSED = "Pausable: paused";
const INVALID_SIGNATURE = "FiatTokenV2: invalid signature";
const USED = "FiatTokenV2: authorization is used or canceled";

/** An ABI's functions and events as comparable strings (name, typed inputs and outputs, mutability, indexing). */
function describeAbi(abi: Abi): string[] {
  const params = (list: readonly { type: string; name?: string; indexed?: boolean }[]) =>
    list.map((p) => `${p.type}${p.indexed ? " indexed" : ""} ${p.name ?? ""}`).join(",");
  return abi
    .filter((item): item is AbiFunction | AbiEvent => item.type === "function" || item.type === "event")
    .map((item) =>
      item.type === "function"
        ? `function ${item.name}(${params(item.inputs)}) ${item.stateMutability} returns (${params(item.outputs)})`
        : `event ${item.name}(${params(item.inputs)})${item.anonymous ? " anonymous" : ""}`,
    )
    .sort();
}

describe("Circle's FiatToken V2.2 as deployed", async () => {
  const f = await deployFiatTokenFixture();
  const { usdc } = f;
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const other = getAddress(f.other.account.address);
  const as = (wallet: { account: typeof f.sender.account }) => ({ account: wallet.account });

  it("IFiatTokenV2_2 declares exactly the shipped artifact's functions and events", async () => {
    const shipped = await fiatTokenArtifact("FiatTokenV2_2");
    assert.deepEqual(describeAbi(usdc.abi), describeAbi(shipped.abi));
  });

  it("has USDC's shape: USD Coin, USDC, 6 decimals, and the EIP-712 domain (USD Coin, 2, chain, proxy)", async () => {
    assert.equal(await usdc.read.name(), "USD Coin");
    assert.equal(await usdc.read.symbol(), "USDC");
    assert.equal(await usdc.read.currency(), "USD");
    assert.equal(await usdc.read.decimals(), 6);
    assert.equal(await usdc.read.version(), "2");
    assert.equal(await usdc.read.DOMAIN_SEPARATOR(), domainSeparator({ domain: f.tokenDomain }));
    // No EIP-5267 eip712Domain(): a client reads the domain from name() and version().
    await assert.rejects(
      f.publicClient.call({ to: usdc.address, data: toFunctionSelector("eip712Domain()") }),
      /revert/i,
    );
  });

  it("lives behind Circle's proxy, whose admin is no token user, with an implementation nobody can initialize", async () => {
    const read = (functionName: "admin" | "implementation") =>
      f.publicClient.readContract({ address: usdc.address, abi: fiatTokenProxyAbi, functionName });
    assert.equal(getAddress(await read("admin")), getAddress(f.proxyAdmin.account.address));
    assert.equal(getAddress(await read("implementation")), f.deployment.implementation);
    const implementation = await fiatTokenArtifact("FiatTokenV2_2");
    assert.equal(
      await f.publicClient.getCode({ address: f.deployment.implementation }),
      linkBytecode(implementation.deployedBytecode, implementation.deployedLinkReferences, {
        SignatureChecker: f.deployment.signatureChecker,
      }),
    );
    // The proxy forwards nothing its admin calls, so the admin can never move tokens.
    await expectRevertReason(
      usdc.write.transfer([receiver, 1n], as(f.proxyAdmin)),
      "Cannot call fallback function from the proxy admin",
    );
    // Neither the token nor its implementation can be initialized again (to take its roles).
    const logic = await f.viem.getContractAt("IFiatTokenV2_2", f.deployment.implementation);
    for (const target of [usdc, logic]) {
      await expectRevertReason(
        target.write.initialize(["X", "X", "X", 6, other, other, other, other], as(f.other)),
        "FiatToken: contract is already initialized",
      );
    }
    assert.equal(await logic.read.name(), "");
    assert.equal(getAddress(await logic.read.owner()), "0x0000000000000000000000000000000000000001");
  });

  it("has its roles where the deployment put them, the masterMinter being a MasterMinter contract", async () => {
    assert.equal(getAddress(await usdc.read.owner()), getAddress(f.deployer.account.address));
    assert.equal(getAddress(await usdc.read.pauser()), getAddress(f.pauser.account.address));
    assert.equal(getAddress(await usdc.read.blacklister()), getAddress(f.blacklister.account.address));
    assert.equal(getAddress(await usdc.read.masterMinter()), f.deployment.masterMinter);
    const masterMinter = (functionName: "owner") =>
      f.publicClient.readContract({ address: f.deployment.masterMinter, abi: masterMinterAbi, functionName });
    assert.equal(getAddress(await masterMinter("owner")), getAddress(f.deployer.account.address));
    assert.equal(await usdc.read.isMinter([f.minter.account.address]), true);
    // V2.1's lost-and-found: the token's own address is blacklisted, so nothing can be sent to it by mistake.
    assert.equal(await usdc.read.isBlacklisted([usdc.address]), true);
    await expectRevertReason(usdc.write.transfer([usdc.address, 1n], as(f.sender)), BLACKLISTED);
  });

  describe("minting", () => {
    it("a minter mints within its allowance, which the mint lowers; above it, it fails", async () => {
      const minter = getAddress(f.minter.account.address);
      const allowance = await usdc.read.minterAllowance([minter]);
      const supply = await usdc.read.totalSupply();
      const { receipt } = await f.mined(await usdc.write.mint([other, 5n * USDC], as(f.minter)));
      const events = parseEventLogs({ abi: usdc.abi, logs: receipt.logs });
      assert.deepEqual(
        events.map((e) => [e.eventName, e.args]),
        [
          ["Mint", { minter, to: other, amount: 5n * USDC }],
          ["Transfer", { from: zeroAddress, to: other, value: 5n * USDC }],
        ],
      );
      assert.equal(await usdc.read.minterAllowance([minter]), allowance - 5n * USDC);
      assert.equal(await usdc.read.totalSupply(), supply + 5n * USDC);
      await expectRevertReason(
        usdc.write.mint([other, allowance], as(f.minter)),
        "FiatToken: mint amount exceeds minterAllowance",
      );
    });

    it("only a minter mints, and only the masterMinter (here through the MasterMinter) configures minters", async () => {
      await expectRevertReason(usdc.write.mint([other, 1n], as(f.other)), "FiatToken: caller is not a minter");
      await expectRevertReason(
        usdc.write.configureMinter([other, 1n], as(f.deployer)),
        "FiatToken: caller is not the masterMinter",
      );
      // The deployer is the minter's controller in the MasterMinter: it can raise the allowance.
      const minter = f.minter.account.address;
      const before = await usdc.read.minterAllowance([minter]);
      await f.mined(
        await f.deployer.writeContract({
          address: f.deployment.masterMinter,
          abi: masterMinterAbi,
          functionName: "incrementMinterAllowance",
          args: [7n],
        }),
      );
      assert.equal(await usdc.read.minterAllowance([minter]), before + 7n);
    });
  });

  describe("EIP-2612 permit (USDC's domain)", () => {
    it("sets the allowance and uses the owner's next nonce; the signature cannot be used twice", async () => {
      const nonce = await usdc.read.nonces([sender]);
      const p = await f.signPermit(f.sender, 12n * USDC, { spender: other });
      await f.mined(await usdc.write.permit([sender, other, p.value, p.deadline, p.v, p.r, p.s], as(f.other)));
      assert.equal(await usdc.read.allowance([sender, other]), 12n * USDC);
      assert.equal(await usdc.read.nonces([sender]), nonce + 1n);
      await expectRevertReason(
        usdc.write.permit([sender, other, p.value, p.deadline, p.v, p.r, p.s], as(f.other)),
        "EIP2612: invalid signature",
      );
      // The bytes-signature form (V2.2) takes the next one.
      const q = await f.signPermit(f.sender, 3n * USDC, { spender: other });
      await f.mined(await usdc.write.permit([sender, other, q.value, q.deadline, q.signature], as(f.other)));
      assert.equal(await usdc.read.allowance([sender, other]), 3n * USDC);
    });

    it("refuses an expired permit and one signed by another key or in another domain", async () => {
      const expired = await f.signPermit(f.sender, 1n, { spender: other, deadline: (await f.now()) - 1n });
      await expectRevertReason(
        usdc.write.permit([sender, other, 1n, expired.deadline, expired.v, expired.r, expired.s], as(f.other)),
        "FiatTokenV2: permit is expired",
      );
      const nonce = await usdc.read.nonces([sender]);
      const forged = await f.signPermit(f.other, 1n, { spender: other, nonce });
      await expectRevertReason(
        usdc.write.permit([sender, other, 1n, forged.deadline, forged.v, forged.r, forged.s], as(f.other)),
        "EIP2612: invalid signature",
      );
      // Signed in a domain other than USDC's ("USD Coin", "2"): version "1", as OpenZeppelin's ERC20Permit uses.
      const deadline = (await f.now()) + 3600n;
      const { r, s, v } = parseSignature(
        await f.sender.signTypedData(
          permitTypedData(
            { ...f.tokenDomain, version: "1" },
            { owner: sender, spender: other, value: 1n, nonce, deadline },
          ),
        ),
      );
      await expectRevertReason(
        usdc.write.permit([sender, other, 1n, deadline, Number(v), r, s], as(f.other)),
        "EIP2612: invalid signature",
      );
    });
  });

  describe("EIP-3009 authorizations", () => {
    it("transferWithAuthorization: anyone submits it; it moves the value once and marks the nonce used", async () => {
      const a = await f.authorization(f.sender, { to: receiver, value: 4n * USDC });
      const sig = await f.signAuthorization("transfer", f.sender, a);
      assert.equal(await usdc.read.authorizationState([sender, a.nonce]), false);
      const before = await f.balanceOf(receiver);
      const receipt = await f.submitAuthorization("transfer", f.other, a, sig);
      assert.equal(receipt.status, "success");
      const events = parseEventLogs({ abi: usdc.abi, logs: receipt.logs });
      assert.deepEqual(
        events.map((e) => [e.eventName, e.args]),
        [
          ["AuthorizationUsed", { authorizer: sender, nonce: a.nonce }],
          ["Transfer", { from: sender, to: receiver, value: 4n * USDC }],
        ],
      );
      assert.equal((await f.balanceOf(receiver)) - before, 4n * USDC);
      assert.equal(await usdc.read.authorizationState([sender, a.nonce]), true);
      // Replay.
      await expectRevertReason(f.submitAuthorization("transfer", f.other, a, sig), USED);
    });

    it("nonces are random and unordered: authorizations are used in any order, in either signature form", async () => {
      const first = await f.authorization(f.sender, { to: receiver, value: 1n });
      const second = await f.authorization(f.sender, { to: receiver, value: 2n });
      const firstSig = await f.signAuthorization("transfer", f.sender, first);
      const secondSig = await f.signAuthorization("transfer", f.sender, second);
      await f.submitAuthorization("transfer", f.other, second, secondSig);
      await f.mined(
        await usdc.write.transferWithAuthorization(
          [first.from, first.to, first.value, first.validAfter, first.validBefore, first.nonce, firstSig.signature],
          as(f.other),
        ),
      );
      assert.equal(await usdc.read.authorizationState([sender, first.nonce]), true);
      assert.equal(await usdc.read.authorizationState([sender, second.nonce]), true);
    });

    it("is valid strictly after validAfter and strictly before validBefore", async () => {
      const start = (await f.now()) + 100n;
      const a = await f.authorization(f.sender, {
        to: receiver,
        value: 1n,
        validAfter: start,
        validBefore: start + 10n,
      });
      const sig = await f.signAuthorization("transfer", f.sender, a);
      await f.networkHelpers.time.setNextBlockTimestamp(start);
      await expectRevertReason(
        f.submitAuthorization("transfer", f.other, a, sig),
        "FiatTokenV2: authorization is not yet valid",
      );
      await f.networkHelpers.time.setNextBlockTimestamp(start + 10n);
      await expectRevertReason(
        f.submitAuthorization("transfer", f.other, a, sig),
        "FiatTokenV2: authorization is expired",
      );
      assert.equal(await usdc.read.authorizationState([sender, a.nonce]), false);
      // Inside the window it goes through.
      const b = { ...a, nonce: randomNonce(), validBefore: start + 1_000n };
      await f.networkHelpers.time.setNextBlockTimestamp(start + 20n);
      const receipt = await f.submitAuthorization(
        "transfer",
        f.other,
        b,
        await f.signAuthorization("transfer", f.sender, b),
      );
      assert.equal(receipt.status, "success");
    });

    it("refuses a wrong signer, altered terms, another chain's domain and a ReceiveWithAuthorization signature", async () => {
      const a = await f.authorization(f.sender, { to: receiver, value: 1n * USDC });
      // Signed by someone else for the sender's tokens.
      const forged = await f.signAuthorization("transfer", f.other, a);
      await expectRevertReason(f.submitAuthorization("transfer", f.other, a, forged), INVALID_SIGNATURE);
      const sig = await f.signAuthorization("transfer", f.sender, a);
      // The same signature for more, or to someone else.
      await expectRevertReason(
        f.submitAuthorization("transfer", f.other, { ...a, value: 2n * USDC }, sig),
        INVALID_SIGNATURE,
      );
      await expectRevertReason(f.submitAuthorization("transfer", f.other, { ...a, to: other }, sig), INVALID_SIGNATURE);
      // Signed for another chain.
      const otherChain = await f.sender.signTypedData({
        domain: { ...f.tokenDomain, chainId: f.chainId + 1 },
        types: transferWithAuthorizationTypes,
        primaryType: "TransferWithAuthorization",
        message: a,
      });
      await expectRevertReason(
        usdc.write.transferWithAuthorization(
          [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, otherChain],
          as(f.other),
        ),
        INVALID_SIGNATURE,
      );
      // A ReceiveWithAuthorization signature cannot be submitted as a transfer by a third party.
      const receive = await f.signAuthorization("receive", f.sender, a);
      await expectRevertReason(f.submitAuthorization("transfer", f.other, a, receive), INVALID_SIGNATURE);
      assert.equal(await usdc.read.authorizationState([sender, a.nonce]), false);
    });

    it("receiveWithAuthorization: only the payee may submit it, so nobody can front-run it elsewhere", async () => {
      const a = await f.authorization(f.sender, { to: receiver, value: 2n * USDC });
      const sig = await f.signAuthorization("receive", f.sender, a);
      for (const caller of [f.other, f.sender]) {
        await expectRevertReason(
          f.submitAuthorization("receive", caller, a, sig),
          "FiatTokenV2: caller must be the payee",
        );
      }
      assert.equal(await usdc.read.authorizationState([sender, a.nonce]), false);
      const before = await f.balanceOf(receiver);
      await f.submitAuthorization("receive", f.receiver, a, sig);
      assert.equal((await f.balanceOf(receiver)) - before, 2n * USDC);
      await expectRevertReason(f.submitAuthorization("receive", f.receiver, a, sig), USED);
      // A TransferWithAuthorization signature is no ReceiveWithAuthorization.
      const b = await f.authorization(f.sender, { to: receiver, value: 1n });
      await expectRevertReason(
        f.submitAuthorization("receive", f.receiver, b, await f.signAuthorization("transfer", f.sender, b)),
        INVALID_SIGNATURE,
      );
    });

    it("cancelAuthorization: the authorizer's signature, submitted by anyone, kills an unused nonce for good", async () => {
      const a = await f.authorization(f.sender, { to: receiver, value: 1n });
      const sig = await f.signAuthorization("transfer", f.sender, a);
      // Only the authorizer's own signature cancels.
      const forged = await f.signCancel(f.other, sender, a.nonce);
      await expectRevertReason(
        usdc.write.cancelAuthorization([sender, a.nonce, forged.v, forged.r, forged.s], as(f.other)),
        INVALID_SIGNATURE,
      );
      const cancel = await f.signCancel(f.sender, sender, a.nonce);
      const { receipt } = await f.mined(
        await usdc.write.cancelAuthorization([sender, a.nonce, cancel.v, cancel.r, cancel.s], as(f.other)),
      );
      assert.deepEqual(
        parseEventLogs({ abi: usdc.abi, logs: receipt.logs }).map((e) => [e.eventName, e.args]),
        [["AuthorizationCanceled", { authorizer: sender, nonce: a.nonce }]],
      );
      assert.equal(await usdc.read.authorizationState([sender, a.nonce]), true);
      await expectRevertReason(f.submitAuthorization("transfer", f.other, a, sig), USED);
      await expectRevertReason(usdc.write.cancelAuthorization([sender, a.nonce, cancel.signature], as(f.other)), USED);
      // A used authorization cannot be cancelled either.
      const b = await f.authorization(f.sender, { to: receiver, value: 1n });
      await f.submitAuthorization("transfer", f.other, b, await f.signAuthorization("transfer", f.sender, b));
      const late = await f.signCancel(f.sender, sender, b.nonce);
      await expectRevertReason(
        usdc.write.cancelAuthorization([sender, b.nonce, late.v, late.r, late.s], as(f.other)),
        USED,
      );
    });
  });

  describe("the blacklist", () => {
    it("only the blacklister blacklists and lifts it", async () => {
      for (const caller of [f.deployer, f.other]) {
        await expectRevertReason(
          usdc.write.blacklist([other], as(caller)),
          "Blacklistable: caller is not the blacklister",
        );
      }
      const { receipt } = await f.mined(await usdc.write.blacklist([other], as(f.blacklister)));
      assert.deepEqual(
        parseEventLogs({ abi: usdc.abi, logs: receipt.logs }).map((e) => [e.eventName, e.args]),
        [["Blacklisted", { _account: other }]],
      );
      assert.equal(await usdc.read.isBlacklisted([other]), true);
      await expectRevertReason(
        usdc.write.unBlacklist([other], as(f.other)),
        "Blacklistable: caller is not the blacklister",
      );
      await f.mined(await usdc.write.unBlacklist([other], as(f.blacklister)));
      assert.equal(await usdc.read.isBlacklisted([other]), false);
    });

    it("a blacklisted address can neither send nor receive, by transfer or transferFrom in any role", async () => {
      await usdc.write.approve([other, maxUint256], as(f.sender));
      await f.whileBlacklisted([sender], async () => {
        await expectRevertReason(usdc.write.transfer([receiver, 1n], as(f.sender)), BLACKLISTED);
        await expectRevertReason(usdc.write.transfer([sender, 1n], as(f.other)), BLACKLISTED);
        // As the owner of the tokens a spender moves.
        await expectRevertReason(usdc.write.transferFrom([sender, receiver, 1n], as(f.other)), BLACKLISTED);
      });
      await f.whileBlacklisted([receiver], async () => {
        await expectRevertReason(usdc.write.transferFrom([sender, receiver, 1n], as(f.other)), BLACKLISTED);
        await expectRevertReason(usdc.write.mint([receiver, 1n], as(f.minter)), BLACKLISTED);
      });
      // As the spender.
      await f.whileBlacklisted([other], async () => {
        await expectRevertReason(usdc.write.transferFrom([sender, receiver, 1n], as(f.other)), BLACKLISTED);
      });
      await f.mined(await usdc.write.transferFrom([sender, receiver, 1n], as(f.other)));
    });

    it("…nor through an authorization, whether the payer or the payee is blacklisted", async () => {
      for (const blocked of [sender, receiver]) {
        const a = await f.authorization(f.sender, { to: receiver, value: 1n });
        const transfer = await f.signAuthorization("transfer", f.sender, a);
        const b = await f.authorization(f.sender, { to: receiver, value: 1n });
        const receive = await f.signAuthorization("receive", f.sender, b);
        await f.whileBlacklisted([blocked], async () => {
          await expectRevertReason(f.submitAuthorization("transfer", f.other, a, transfer), BLACKLISTED);
          await expectRevertReason(f.submitAuthorization("receive", f.receiver, b, receive), BLACKLISTED);
        });
        // Unused, so still good once the blacklist is lifted.
        await f.submitAuthorization("transfer", f.other, a, transfer);
        await f.submitAuthorization("receive", f.receiver, b, receive);
      }
    });

    it("since V2.2 a blacklisted address may approve and permit, but the allowance moves nothing", async () => {
      await f.whileBlacklisted([sender], async () => {
        await f.mined(await usdc.write.approve([other, 5n], as(f.sender)));
        const p = await f.signPermit(f.sender, 6n, { spender: other });
        await f.mined(await usdc.write.permit([sender, other, 6n, p.deadline, p.v, p.r, p.s], as(f.other)));
        assert.equal(await usdc.read.allowance([sender, other]), 6n);
        await expectRevertReason(usdc.write.transferFrom([sender, other, 6n], as(f.other)), BLACKLISTED);
      });
    });
  });

  describe("pause", () => {
    it("only the pauser pauses and unpauses", async () => {
      for (const caller of [f.deployer, f.other]) {
        await expectRevertReason(usdc.write.pause(as(caller)), "Pausable: caller is not the pauser");
      }
      await f.mined(await usdc.write.pause(as(f.pauser)));
      assert.equal(await usdc.read.paused(), true);
      await expectRevertReason(usdc.write.unpause(as(f.other)), "Pausable: caller is not the pauser");
      await f.mined(await usdc.write.unpause(as(f.pauser)));
      assert.equal(await usdc.read.paused(), false);
    });

    it("stops transfers, approvals, permits, authorizations, cancels and minting; the blacklist still works", async () => {
      await usdc.write.approve([other, 10n], as(f.sender));
      const p = await f.signPermit(f.sender, 1n, { spender: other });
      const a = await f.authorization(f.sender, { to: receiver, value: 1n });
      const transfer = await f.signAuthorization("transfer", f.sender, a);
      const receive = await f.signAuthorization("receive", f.sender, a);
      const cancel = await f.signCancel(f.sender, sender, a.nonce);
      await f.whilePaused(async () => {
        await expectRevertReason(usdc.write.transfer([receiver, 1n], as(f.sender)), PAUSED);
        await expectRevertReason(usdc.write.transferFrom([sender, receiver, 1n], as(f.other)), PAUSED);
        await expectRevertReason(usdc.write.approve([other, 1n], as(f.sender)), PAUSED);
        await expectRevertReason(
          usdc.write.permit([sender, other, 1n, p.deadline, p.v, p.r, p.s], as(f.other)),
          PAUSED,
        );
        await expectRevertReason(f.submitAuthorization("transfer", f.other, a, transfer), PAUSED);
        await expectRevertReason(f.submitAuthorization("receive", f.receiver, a, receive), PAUSED);
        await expectRevertReason(
          usdc.write.cancelAuthorization([sender, a.nonce, cancel.v, cancel.r, cancel.s], as(f.other)),
          PAUSED,
        );
        await expectRevertReason(usdc.write.mint([other, 1n], as(f.minter)), PAUSED);
        await f.mined(await usdc.write.blacklist([other], as(f.blacklister)));
        await f.mined(await usdc.write.unBlacklist([other], as(f.blacklister)));
      });
      await f.submitAuthorization("transfer", f.other, a, transfer);
      await f.mined(await usdc.write.transfer([receiver, 1n], as(f.sender)));
    });
  });
});
