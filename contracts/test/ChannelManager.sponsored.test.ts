// openOnBehalf: a channel opened in the sender's name from its signatures alone (permit + OpenAuthorization), the
// transaction sent and paid for by someone else — in practice the receiver. Every way to misuse an authorization
// must be refused: replay, re-targeting (receiver, signer, deposit), expiry, another signer, another contract.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { openAuthorizationTypedData } from "@micro-raiden/web-client/protocol";
import { encodeFunctionData, getAddress, type Hex, maxUint256, slice, zeroHash } from "viem";
import { deployFixture, expectRevert, malleate, newSessionKey, TOKENS, zeroAddress } from "./fixture.ts";

describe("openOnBehalf (sponsored open)", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const other = getAddress(f.other.account.address);
  const as = (wallet: typeof f.sender) => ({ account: wallet.account });
  const deposit = 10n * TOKENS;

  type Authorization = {
    sender: typeof sender;
    receiver: typeof receiver;
    deposit: bigint;
    signer: typeof sender;
    nonce: bigint;
    deadline: bigint;
  };

  /**
   * What the sender's client hands the sponsor: a permit for the deposit and an authorization over the same
   * deadline, both signed by `signedBy` (the sender unless a test says otherwise).
   */
  async function authorize(
    overrides: Partial<Authorization> = {},
    signedBy = f.sender,
    domain: { chainId: number; contract: Hex } = f.domain,
  ) {
    const owner = overrides.sender ?? sender;
    const permitOwner = owner === sender ? f.sender : signedBy;
    const p = await f.signPermit(permitOwner, overrides.deposit ?? deposit, overrides.deadline);
    const message: Authorization = {
      sender: owner,
      receiver,
      deposit,
      signer: getAddress(newSessionKey().address),
      nonce: await f.manager.read.openingNonces([owner]),
      deadline: p.deadline,
      ...overrides,
    };
    const signature = await signedBy.signTypedData(openAuthorizationTypedData(domain, message));
    return { message, signature, permit: p };
  }

  type Signed = Awaited<ReturnType<typeof authorize>>;
  /** openOnBehalf's arguments for a signed authorization, with fields changed after signing (or `with` swapped in). */
  const args = (
    { message: m, signature, permit: p }: Signed,
    changes: Partial<Authorization> = {},
    swapped: { signature?: Hex; permit?: { v: number; r: Hex; s: Hex } } = {},
  ) => {
    const a = { ...m, ...changes };
    const { v, r, s } = swapped.permit ?? p;
    return [
      a.sender,
      a.receiver,
      a.deposit,
      a.signer,
      a.nonce,
      a.deadline,
      swapped.signature ?? signature,
      v,
      r,
      s,
    ] as const;
  };
  const submit = (signed: Signed, changes: Partial<Authorization> = {}, by = f.receiver) =>
    f.manager.write.openOnBehalf(args(signed, changes), as(by));

  it("opens the channel in the sender's name while the submitter pays the gas and no tokens", async () => {
    const signed = await authorize();
    const [senderTokens, receiverTokens, senderEth, nonce] = await Promise.all([
      f.balanceOf(sender),
      f.balanceOf(receiver),
      f.publicClient.getBalance({ address: sender }),
      f.manager.read.openingNonces([sender]),
    ]);
    const { receipt, events } = await f.mined(await submit(signed));
    assert.deepEqual(
      events.map((e) => [e.eventName, e.args]),
      [
        [
          "ChannelCreated",
          { sender, receiver, openBlock: receipt.blockNumber, deposit, signer: signed.message.signer },
        ],
      ],
    );
    const info = await f.channelInfo(sender, receiver, receipt.blockNumber);
    assert.equal(info.deposit, deposit);
    assert.equal(info.signer, signed.message.signer);
    assert.equal(await f.balanceOf(sender), senderTokens - deposit);
    assert.equal(await f.balanceOf(receiver), receiverTokens);
    assert.equal(await f.publicClient.getBalance({ address: sender }), senderEth, "the sender spent no ether");
    assert.equal(getAddress(receipt.from), receiver);
    assert.equal(await f.manager.read.openingNonces([sender]), nonce + 1n);
    assert.equal(await f.token.read.allowance([sender, f.manager.address]), 0n);
  });

  it("anyone may submit it: the channel is still the sender's, to the receiver it names", async () => {
    const signed = await authorize();
    const { receipt } = await f.mined(await submit(signed, {}, f.other));
    assert.equal((await f.channelInfo(sender, receiver, receipt.blockNumber)).deposit, deposit);
  });

  it("cannot be replayed: the second submission fails on the used nonce and moves no tokens", async () => {
    const signed = await authorize();
    await f.mined(await submit(signed));
    const before = await f.balanceOf(sender);
    // A permit for the replay is not what stops it: even with a fresh allowance the nonce is spent.
    await f.token.write.approve([f.manager.address, deposit], as(f.sender));
    await expectRevert(submit(signed), "InvalidOpeningNonce", [
      sender,
      signed.message.nonce,
      signed.message.nonce + 1n,
    ]);
    assert.equal(await f.balanceOf(sender), before);
    await f.token.write.approve([f.manager.address, 0n], as(f.sender));
  });

  it("a nonce ahead of the sender's next one is refused", async () => {
    const signed = await authorize({ nonce: (await f.manager.read.openingNonces([sender])) + 1n });
    await expectRevert(submit(signed), "InvalidOpeningNonce", [
      sender,
      signed.message.nonce,
      signed.message.nonce - 1n,
    ]);
  });

  for (const [field, change] of [
    ["receiver", () => ({ receiver: getAddress(f.receiver2.account.address) })],
    ["delegated signer", () => ({ signer: getAddress(newSessionKey().address) })],
    ["deposit", () => ({ deposit: deposit + 1n })],
    ["deadline", () => ({ deadline: 2n ** 40n })],
    ["nonce", () => ({ nonce: 2n ** 40n })],
  ] as const) {
    it(`cannot be re-targeted: another ${field} than the one signed is refused`, async () => {
      const signed = await authorize();
      await expectRevert(submit(signed, change()), "InvalidOpenAuthorizationSigner");
    });
  }

  it("cannot open for a sender who did not sign: an authorization signed by another key is refused", async () => {
    // The other account signs an authorization naming the sender, hoping to spend the sender's allowance.
    await f.token.write.approve([f.manager.address, deposit], as(f.sender));
    const signed = await authorize({}, f.other);
    await expectRevert(submit(signed), "InvalidOpenAuthorizationSigner", [other, sender]);
    await f.token.write.approve([f.manager.address, 0n], as(f.sender));
  });

  it("a contract account cannot be the sender: an EOA's signature for a contract's address is refused", async () => {
    // The token contract stands for a contract wallet whose owner is the other account: the owner's key signs an
    // authorization naming the contract. Only the sender's own ECDSA key counts (no ERC-1271 call is made).
    const wallet = getAddress(f.token.address);
    const signed = await authorize({ sender: wallet, nonce: 0n }, f.other);
    await expectRevert(submit(signed), "InvalidOpenAuthorizationSigner", [other, wallet]);
    // And the mirror image: the sender's own key naming the contract as sender.
    const mirrored = await authorize({ sender: wallet, nonce: 0n }, f.sender);
    await expectRevert(submit(mirrored), "InvalidOpenAuthorizationSigner", [sender, wallet]);
  });

  it("is refused after its deadline", async () => {
    const block = await f.publicClient.getBlock();
    const signed = await authorize({ deadline: block.timestamp + 60n });
    await f.networkHelpers.time.increase(61);
    await expectRevert(submit(signed), "OpenAuthorizationExpired");
  });

  it("signed for another manager or another chain, it is refused here", async () => {
    const elsewhere = await authorize({}, f.sender, { ...f.domain, contract: getAddress(f.token.address) });
    await expectRevert(submit(elsewhere), "InvalidOpenAuthorizationSigner");
    const otherChain = await authorize({}, f.sender, { ...f.domain, chainId: f.chainId + 1 });
    await expectRevert(submit(otherChain), "InvalidOpenAuthorizationSigner");
  });

  it("a malleated (high-s) authorization is refused", async () => {
    const signed = await authorize();
    await expectRevert(
      f.manager.write.openOnBehalf(args(signed, {}, { signature: malleate(signed.signature) }), as(f.receiver)),
      "ECDSAInvalidSignatureS",
    );
  });

  it("a permit front-run from the mempool does not block the open", async () => {
    const signed = await authorize();
    const p = signed.permit;
    await f.token.write.permit([sender, f.manager.address, deposit, p.deadline, p.v, p.r, p.s], as(f.other));
    const { receipt } = await f.mined(await submit(signed));
    assert.equal((await f.channelInfo(sender, receiver, receipt.blockNumber)).deposit, deposit);
  });

  it("without a valid permit or an allowance the open fails on the allowance and spends no nonce", async () => {
    const signed = await authorize();
    const nonce = await f.manager.read.openingNonces([sender]);
    await expectRevert(
      f.manager.write.openOnBehalf(args(signed, {}, { permit: { v: 27, r: zeroHash, s: zeroHash } }), as(f.receiver)),
      "ERC20InsufficientAllowance",
      [getAddress(f.manager.address), 0n, deposit],
    );
    assert.equal(await f.manager.read.openingNonces([sender]), nonce);
  });

  it("keeps the open's own rules: no channel to oneself, the receiver cannot be the signer, no zero deposit", async () => {
    await expectRevert(submit(await authorize({ receiver: sender })), "InvalidReceiver", [sender]);
    await expectRevert(submit(await authorize({ signer: receiver })), "InvalidSigner", [receiver]);
    await expectRevert(submit(await authorize({ deposit: 0n })), "ZeroDeposit");
  });
});

describe("openOnBehalf reentrancy", async () => {
  const f = await deployFixture();
  const sender = getAddress(f.sender.account.address);
  const receiver = getAddress(f.receiver.account.address);
  const hostile = await f.viem.deployContract("ReentrantToken");
  const manager = await f.viem.deployContract("ChannelManager", [hostile.address, 500n]);
  const domain = { chainId: f.chainId, contract: getAddress(manager.address) };
  await hostile.write.mint([sender, 1_000n * TOKENS]);
  await hostile.write.approve([manager.address, maxUint256], { account: f.sender.account });

  it("a token re-entering from its permit cannot open a second channel on the same authorization", async () => {
    const nonce = await manager.read.openingNonces([sender]);
    const block = await f.publicClient.getBlock();
    const message = { sender, receiver, deposit: TOKENS, signer: zeroAddress, nonce, deadline: block.timestamp + 600n };
    const signature = await f.sender.signTypedData(openAuthorizationTypedData(domain, message));
    const call = [
      sender,
      receiver,
      TOKENS,
      zeroAddress,
      nonce,
      message.deadline,
      signature,
      27,
      zeroHash,
      zeroHash,
    ] as const;
    // The hostile token's permit calls the manager back with the very same open before granting anything.
    await hostile.write.arm([
      manager.address,
      encodeFunctionData({ abi: manager.abi, functionName: "openOnBehalf", args: call }),
    ]);
    const before = await hostile.read.balanceOf([manager.address]);
    const { events } = await f.mined(await manager.write.openOnBehalf(call, { account: f.receiver.account }));
    const [succeeded, error] = await Promise.all([hostile.read.reentrySucceeded(), hostile.read.reentryError()]);
    assert.deepEqual({ succeeded, selector: slice(error, 0, 4) }, { succeeded: false, selector: "0x3ee5aeb5" });
    assert.deepEqual(
      events.map((e) => e.eventName),
      ["ChannelCreated"],
    );
    assert.equal(await hostile.read.balanceOf([manager.address]), before + TOKENS);
    assert.equal(await manager.read.openingNonces([sender]), nonce + 1n);
  });
});
