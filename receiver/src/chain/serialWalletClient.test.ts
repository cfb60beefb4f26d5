// The four parts of a receiver that send transactions with its key, all at once on a real chain: the watcher's
// auto-challenge, the operator's withdrawal, a credit claim and a sponsored open. Each must be mined; none may lose
// its turn to another's nonce.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { balanceProofTypedData, channelManagerAbi, demoTokenAbi } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodeAbiParameters,
  encodePacked,
  type Hash,
  http,
  keccak256,
  type PublicClient,
  parseEther,
  toHex,
} from "viem";
import { generatePrivateKey, type HDAccount, privateKeyToAccount } from "viem/accounts";
import { sponsoredOpenRequest } from "../http/sponsoredOpenRequest.test-helper.ts";
import type { Receiver } from "../Receiver.ts";
import { startReceiver } from "../startReceiver.ts";

/** The storage slot of ChannelManager's `_credits` (after EIP712's two fallback strings and `_channels`). */
const creditsSlot = 3n;
const deposit = parseEther("1");

describe("a receiver's transactions, all sent at once", () => {
  let chain: TestChain;
  let publicClient: PublicClient;
  let receiver: Receiver;
  let receiverAccount: HDAccount;

  before(async () => {
    chain = await startTestChain();
    publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    receiverAccount = chain.accounts[2] ?? assert.fail();
    receiver = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(receiverAccount.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "serial-sends-")), "receiver.db"),
      // The chain is read only when asked, so the challenge goes out with the others.
      pollIntervalMs: 3_600_000,
      log: () => {},
      sponsor: { minDeposit: deposit },
    });
  });
  after(async () => {
    await receiver?.close();
    await chain?.close();
  });

  async function mined(hash: Hash) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    return receipt;
  }

  /** Opens a channel to the receiver (ERC-1363) and pays `balance` through the receiver's payment path. */
  async function paidChannel(sender: HDAccount, balance: bigint): Promise<bigint> {
    await chain.mint(sender.address, deposit);
    const { blockNumber: openBlock } = await mined(
      await createWalletClient({ account: sender, transport: http(chain.rpcUrl) }).writeContract({
        chain: null,
        address: chain.deployment.token,
        abi: demoTokenAbi,
        functionName: "transferAndCall",
        args: [chain.deployment.channelManager, deposit, encodePacked(["address"], [receiver.address])],
      }),
    );
    const signature = await sender.signTypedData(
      balanceProofTypedData(
        { chainId: chain.deployment.chainId, contract: chain.deployment.channelManager },
        { sender: sender.address, receiver: receiver.address, openBlock, balance },
      ),
    );
    const { channelManager: contract } = chain.deployment;
    const payment = { contract, receiver: receiver.address, sender: sender.address, openBlock, balance, signature };
    const accepted = await receiver.acceptPayment(payment, balance, "GET /paid");
    assert.equal(accepted.kind, "accepted");
    await accepted.settle();
    return openBlock;
  }

  /** The manager's credit for the receiver, written into its storage, with the tokens to pay it. */
  async function plantCredit(amount: bigint) {
    const slot = keccak256(
      encodeAbiParameters([{ type: "address" }, { type: "uint256" }], [receiver.address, creditsSlot]),
    );
    await chain.testClient.setStorageAt({
      address: chain.deployment.channelManager,
      index: slot,
      value: toHex(amount, { size: 32 }),
    });
    await chain.mint(chain.deployment.channelManager, amount);
    const claimable = await publicClient.readContract({
      address: chain.deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "claimable",
      args: [receiver.address],
    });
    assert.equal(claimable, amount, "ChannelManager's storage layout changed: update creditsSlot");
  }

  const settled = async (sender: Address, openBlock: bigint) =>
    (
      await publicClient.getContractEvents({
        address: chain.deployment.channelManager,
        abi: channelManagerAbi,
        eventName: "ChannelSettled",
        args: { sender, receiver: receiver.address },
        fromBlock: openBlock,
      })
    ).some((event) => event.args.openBlock === openBlock);

  it("an auto-challenge, a withdrawal, a claim and a sponsored open all get mined", async () => {
    const [closer, payer] = [chain.accounts[1] ?? assert.fail(), chain.accounts[3] ?? assert.fail()];
    const challenged = await paidChannel(closer, parseEther("0.3"));
    const withdrawn = await paidChannel(payer, parseEther("0.2"));
    // A sender asks to close below what it paid: the receiver's next sync challenges that.
    await mined(
      await createWalletClient({ account: closer, transport: http(chain.rpcUrl) }).writeContract({
        chain: null,
        address: chain.deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "uncooperativeClose",
        args: [receiver.address, challenged, 0n],
      }),
    );
    await plantCredit(parseEther("0.1"));
    const opener = privateKeyToAccount(generatePrivateKey());
    await chain.mint(opener.address, deposit);
    const request = await sponsoredOpenRequest({
      publicClient,
      deployment: chain.deployment,
      account: opener,
      receiver: receiver.address,
      deposit,
    });
    const sponsor = receiver.sponsor ?? assert.fail("sponsoring");
    const nonce = () => publicClient.getTransactionCount({ address: receiver.address });
    const before = await nonce();

    const [synced, withdrawals, claimed, opened] = await Promise.allSettled([
      receiver.sync(),
      receiver.withdraw(1n),
      receiver.claim(),
      sponsor.open(request, "203.0.113.1"),
    ]);

    assert.equal(synced.status, "fulfilled");
    assert.equal(withdrawals.status === "fulfilled" && withdrawals.value[0]?.error, undefined, "withdrawn");
    assert.equal(claimed.status === "fulfilled" && claimed.value.amount, parseEther("0.1"), "claimed");
    assert.equal(
      opened.status === "fulfilled" && opened.value.ok,
      true,
      JSON.stringify(opened, (_, v) => `${v}`),
    );
    await receiver.sync();
    assert.ok(await settled(closer.address, challenged), "the stale close was challenged");
    assert.equal(
      (
        await publicClient.readContract({
          address: chain.deployment.channelManager,
          abi: channelManagerAbi,
          functionName: "getChannelInfo",
          args: [payer.address, receiver.address, withdrawn],
        })
      )[2],
      parseEther("0.2"),
    );
    assert.equal((await nonce()) - before, 4, "four transactions, each mined once");
  });
});
