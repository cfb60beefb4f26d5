// openByReceiveAuthorization on USDC's own token: a channel opened from the sender's one EIP-3009 ReceiveWithAuthorization,
// whose nonce is the hash of the channel's terms, submitted by someone else (in practice the receiver, sponsoring the
// open). The signature must open exactly the channel it names or nothing: other terms, a replay, an expired one,
// another manager or chain, a front-runner going to the token directly, a blocklisted sender and a paused token are
// all refused, and none of them spends the authorization.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  type OpenTerms,
  openByReceiveAuthorizationTypedData,
  openTermsNonce,
  type TokenDomain,
} from "@micro-raiden/web-client/protocol";
import { type Address, getAddress, type Hex, parseEventLogs, parseSignature } from "viem";
import { deployFiatTokenFixture, expectRevertReason, USDC } from "./fiatTokenFixture.ts";
import { expectRevert, newSessionKey, zeroAddress } from "./fixture.ts";

const BLACKLISTED = "Blacklistable: account is blacklisted";
const PAUSED = "Pausable: paused";
const INVALID_SIGNATURE = "FiatTokenV2: invalid signature";
const USED = "FiatTokenV2: authorization is used or canceled";
const NOT_PAYEE = "FiatTokenV2: caller must be the payee";
const deposit = 10n * USDC;

describe("openByReceiveAuthorization (one-signature open on USDC)", async () => {
  const f = await deployFiatTokenFixture();
  const { usdc, manager } = f;
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const as = (wallet: { account: typeof f.sender.account }) => ({ account: wallet.account });

  type Signed = { terms: OpenTerms; nonce: Hex; v: number; r: Hex; s: Hex };

  /** The sender's one signature over `terms` (fresh session key, an hour's validity by default). */
  async function authorize(
    changes: Partial<OpenTerms> = {},
    options: { signedBy?: typeof f.sender; manager?: { chainId: number; contract: Address }; token?: TokenDomain } = {},
  ): Promise<Signed> {
    const terms: OpenTerms = {
      sender,
      receiver,
      deposit,
      signer: getAddress(newSessionKey().address),
      validBefore: (await f.now()) + 3600n,
      ...changes,
    };
    const signedManager = options.manager ?? f.domain;
    const signature = await (options.signedBy ?? f.sender).signTypedData(
      openByReceiveAuthorizationTypedData(options.token ?? f.tokenDomain, signedManager, terms),
    );
    const { v, r, s } = parseSignature(signature);
    return { terms, nonce: openTermsNonce(signedManager, terms), v: Number(v), r, s };
  }

  const args = ({ terms: t, v, r, s }: Signed, changes: Partial<OpenTerms> = {}) => {
    const a = { ...t, ...changes };
    return [a.sender, a.receiver, a.deposit, a.signer, a.validBefore, v, r, s] as const;
  };
  const submit = (signed: Signed, changes: Partial<OpenTerms> = {}, by = f.receiver, to = manager) =>
    to.write.openByReceiveAuthorization(args(signed, changes), as(by));
  const used = (signed: Signed) => usdc.read.authorizationState([signed.terms.sender, signed.nonce]);

  it("the nonce the manager computes from the terms is the protocol's (viem's EIP-712 struct hash)", async () => {
    const signed = await authorize();
    const { receipt } = await f.mined(await submit(signed));
    const [used] = parseEventLogs({ abi: usdc.abi, eventName: "AuthorizationUsed", logs: receipt.logs });
    assert.deepEqual(used?.args, { authorizer: sender, nonce: openTermsNonce(f.domain, signed.terms) });
  });

  it("opens the channel in the sender's name: the submitter pays the gas, the token marks the nonce used", async () => {
    const signed = await authorize();
    const [senderTokens, managerTokens, senderEth] = await Promise.all([
      f.balanceOf(sender),
      f.balanceOf(manager.address),
      f.publicClient.getBalance({ address: sender }),
    ]);
    const { receipt, events } = await f.mined(await submit(signed));
    assert.deepEqual(
      events.map((e) => [e.eventName, e.args]),
      [["ChannelCreated", { sender, receiver, openBlock: receipt.blockNumber, deposit, signer: signed.terms.signer }]],
    );
    const info = await f.channelInfo(sender, receiver, receipt.blockNumber);
    assert.equal(info.deposit, deposit);
    assert.equal(info.signer, signed.terms.signer);
    assert.equal(await f.balanceOf(sender), senderTokens - deposit);
    assert.equal(await f.balanceOf(manager.address), managerTokens + deposit);
    assert.equal(await f.publicClient.getBalance({ address: sender }), senderEth, "the sender spent no ether");
    assert.equal(await usdc.read.allowance([sender, manager.address]), 0n, "no allowance was needed or left");
    assert.equal(await used(signed), true);
  });

  it("anyone may submit it, the sender too: the channel is the one signed whoever sends it", async () => {
    const copied = await authorize();
    const { receipt } = await f.mined(await submit(copied, {}, f.other));
    assert.equal((await f.channelInfo(sender, receiver, receipt.blockNumber)).signer, copied.terms.signer);
    const own = await authorize({ signer: zeroAddress });
    const mined = await f.mined(await submit(own, {}, f.sender));
    assert.equal((await f.channelInfo(sender, receiver, mined.receipt.blockNumber)).deposit, deposit);
  });

  it("cannot be replayed: the second submission is refused by the token and moves no tokens", async () => {
    const signed = await authorize();
    await f.mined(await submit(signed));
    const before = await f.balanceOf(sender);
    await expectRevertReason(submit(signed), USED);
    assert.equal(await f.balanceOf(sender), before);
  });

  const retargets: [string, () => Partial<OpenTerms>][] = [
    ["receiver", () => ({ receiver: getAddress(f.receiver2.account.address) })],
    ["session key", () => ({ signer: getAddress(newSessionKey().address) })],
    ["no session key", () => ({ signer: zeroAddress })],
    ["deposit", () => ({ deposit: deposit + 1n })],
    ["smaller deposit", () => ({ deposit: deposit - 1n })],
    ["validBefore", () => ({ validBefore: 0n })],
  ];
  for (const [field, change] of retargets) {
    it(`cannot be re-targeted: another ${field} than the one signed is refused and leaves it unused`, async () => {
      const signed = await authorize();
      const changed = change();
      if (changed.validBefore === 0n) changed.validBefore = signed.terms.validBefore + 1n;
      await expectRevertReason(submit(signed, changed), INVALID_SIGNATURE);
      assert.equal(await used(signed), false);
      // The signature still opens the channel it names.
      await f.mined(await submit(signed));
    });
  }

  it("cannot open for a sender who did not sign: another key's signature is refused", async () => {
    const signed = await authorize({}, { signedBy: f.other });
    await expectRevertReason(submit(signed), INVALID_SIGNATURE);
  });

  it("is refused at and after validBefore, with the manager's own error", async () => {
    const signed = await authorize({ validBefore: (await f.now()) + 60n });
    await f.networkHelpers.time.setNextBlockTimestamp(signed.terms.validBefore);
    await expectRevert(submit(signed), "OpenAuthorizationExpired", [
      signed.terms.validBefore,
      signed.terms.validBefore,
    ]);
    assert.equal(await used(signed), false);
  });

  it("signed for another manager, it opens nothing here; signed for another chain, nothing either", async () => {
    const elsewhere = await f.viem.deployContract("ChannelManager", [usdc.address, 500n]);
    const forElsewhere = await authorize({}, { manager: { chainId: f.chainId, contract: elsewhere.address } });
    await expectRevertReason(submit(forElsewhere), INVALID_SIGNATURE);
    const forHere = await authorize();
    await expectRevertReason(submit(forHere, {}, f.receiver, elsewhere), INVALID_SIGNATURE);
    const otherChainManager = await authorize({}, { manager: { ...f.domain, chainId: f.chainId + 1 } });
    await expectRevertReason(submit(otherChainManager), INVALID_SIGNATURE);
    const otherChainToken = await authorize({}, { token: { ...f.tokenDomain, chainId: f.chainId + 1 } });
    await expectRevertReason(submit(otherChainToken), INVALID_SIGNATURE);
    // The one signed for the other manager opens there.
    const { receipt } = await f.mined(await submit(forElsewhere, {}, f.receiver, elsewhere));
    assert.equal((await elsewhere.read.getChannelInfo([sender, receiver, receipt.blockNumber]))[1], deposit);
  });

  it("a front-runner with the signature cannot use it at the token: only the manager, the payee, may", async () => {
    const signed = await authorize();
    const a = signed.terms;
    const auth = [sender, getAddress(manager.address), a.deposit, 0n, a.validBefore, signed.nonce] as const;
    // receiveWithAuthorization: only the payee may submit it.
    await expectRevertReason(
      usdc.write.receiveWithAuthorization([...auth, signed.v, signed.r, signed.s], as(f.other)),
      NOT_PAYEE,
    );
    // transferWithAuthorization is another type: the signature does not verify as one.
    await expectRevertReason(
      usdc.write.transferWithAuthorization([...auth, signed.v, signed.r, signed.s], as(f.other)),
      INVALID_SIGNATURE,
    );
    // Nor to the front-runner itself as payee.
    await expectRevertReason(
      usdc.write.receiveWithAuthorization(
        [
          sender,
          getAddress(f.other.account.address),
          a.deposit,
          0n,
          a.validBefore,
          signed.nonce,
          signed.v,
          signed.r,
          signed.s,
        ],
        as(f.other),
      ),
      INVALID_SIGNATURE,
    );
    assert.equal(await used(signed), false);
    const { receipt } = await f.mined(await submit(signed));
    assert.equal((await f.channelInfo(sender, receiver, receipt.blockNumber)).deposit, deposit);
  });

  it("the sender can withdraw an unsubmitted authorization with EIP-3009's cancelAuthorization", async () => {
    const signed = await authorize();
    const cancel = await f.signCancel(f.sender, sender, signed.nonce);
    await f.mined(await usdc.write.cancelAuthorization([sender, signed.nonce, cancel.v, cancel.r, cancel.s]));
    await expectRevertReason(submit(signed), USED);
  });

  it("a blocklisted sender opens nothing, and after the blocklist is lifted the signature still opens", async () => {
    const signed = await authorize();
    await f.whileBlacklisted([sender], () => expectRevertReason(submit(signed), BLACKLISTED));
    assert.equal(await used(signed), false);
    await f.mined(await submit(signed));
  });

  it("a paused token opens nothing", async () => {
    const signed = await authorize();
    await f.whilePaused(() => expectRevertReason(submit(signed), PAUSED));
    assert.equal(await used(signed), false);
  });

  it("keeps the open's own rules: no channel to oneself, the receiver cannot be the signer, no zero deposit", async () => {
    await expectRevert(submit(await authorize({ receiver: sender })), "InvalidReceiver", [sender]);
    await expectRevert(submit(await authorize({ signer: receiver })), "InvalidSigner", [receiver]);
    await expectRevert(submit(await authorize({ deposit: 0n })), "ZeroDeposit");
  });
});
