// The receiver's payouts on USDC's own token (Circle's FiatToken V2.2 behind its proxy, on a real chain): when USDC
// refuses a payout — its blacklister blocked the receiver or the sender, or its pauser paused it — the channel manager
// still withdraws and closes, keeps the refused amount as a credit (the pull-payment fallback), and pays it on
// `claim` once USDC pays again. The deployer of the test chain holds USDC's blacklister and pauser roles.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { channelManagerAbi } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  erc20Abi,
  type Hash,
  http,
  parseAbi,
  parseEventLogs,
  toHex,
  zeroAddress,
} from "viem";
import type { HDAccount } from "viem/accounts";
import type { Receiver } from "../Receiver.ts";
import { startReceiver } from "../startReceiver.ts";
import { payPaywall } from "./payPaywall.test-helper.ts";

/** USDC's own admin functions (FiatToken V2.2): its blacklister's and its pauser's. */
const fiatTokenAdminAbi = parseAbi([
  "function blacklist(address account)",
  "function unBlacklist(address account)",
  "function pause()",
  "function unpause()",
]);
/** One USDC in base units (6 decimals). */
const USDC = 10n ** 6n;
/** 0.001 USDC a page, as in the demo. */
const price = 1000n;
const deposit = USDC;

describe("the receiver's payouts on USDC when USDC refuses them", () => {
  let chain: TestChain;
  let receiver: Receiver;
  let sender: HDAccount;
  let receiverAccount: HDAccount;

  const publicClient = () => createPublicClient({ transport: http(chain.rpcUrl) });
  const walletOf = (account: HDAccount) => createWalletClient({ account, transport: http(chain.rpcUrl) });
  const mined = async (hash: Hash) => {
    const receipt = await publicClient().waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    return receipt;
  };
  const balanceOf = (owner: Address) =>
    publicClient().readContract({
      address: chain.deployment.token,
      abi: erc20Abi,
      functionName: "balanceOf",
      args: [owner],
    });
  const claimable = (owner: Address) =>
    publicClient().readContract({
      address: chain.deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "claimable",
      args: [owner],
    });
  /** USDC's blacklister or pauser (the deployer) acts. */
  const admin = async (
    functionName: "blacklist" | "unBlacklist" | "pause" | "unpause",
    ...args: [] | [Address]
  ): Promise<void> => {
    const wallet = walletOf(chain.accounts[0] ?? assert.fail());
    await mined(
      await (args.length === 0
        ? wallet.writeContract({
            chain: null,
            address: chain.deployment.token,
            abi: fiatTokenAdminAbi,
            functionName: functionName === "pause" || functionName === "unpause" ? functionName : assert.fail(),
          })
        : wallet.writeContract({
            chain: null,
            address: chain.deployment.token,
            abi: fiatTokenAdminAbi,
            functionName: functionName === "blacklist" || functionName === "unBlacklist" ? functionName : assert.fail(),
            args,
          })),
    );
  };

  /** The sender opens a channel to the receiver by approve + createChannel; returns its open block. */
  async function openChannel(): Promise<bigint> {
    const wallet = walletOf(sender);
    await mined(
      await wallet.writeContract({
        chain: null,
        address: chain.deployment.token,
        abi: erc20Abi,
        functionName: "approve",
        args: [chain.deployment.channelManager, deposit],
      }),
    );
    const opened = await mined(
      await wallet.writeContract({
        chain: null,
        address: chain.deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "createChannel",
        args: [receiver.address, deposit, zeroAddress],
      }),
    );
    const [created] = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: opened.logs });
    assert.ok(created);
    await receiver.sync();
    return created.args.openBlock;
  }

  /** Pays the receiver's paywall up to `balance` in total on the channel opened at `openBlock`, over HTTP. */
  const pay = (openBlock: bigint, balance: bigint) => payPaywall({ receiver, sender, openBlock, balance, price });

  before(async () => {
    chain = await startTestChain({ tokenKind: "usdc" });
    const [, first, second] = chain.accounts;
    assert.ok(first && second);
    sender = first;
    receiverAccount = second;
    await chain.mint(sender.address, 10n * USDC);
    receiver = await startReceiver({
      rpcUrl: chain.rpcUrl,
      deployment: chain.deployment,
      privateKey: toHex(receiverAccount.getHdKey().privateKey ?? assert.fail()),
      dbPath: join(await mkdtemp(join(tmpdir(), "usdc-payouts-")), "receiver.db"),
      pollIntervalMs: 3_600_000,
      log: () => {},
    });
    assert.deepEqual(
      { symbol: receiver.token.symbol, decimals: receiver.token.decimals },
      { symbol: "USDC", decimals: 6 },
    );
  });
  after(async () => {
    await receiver?.close();
    await chain?.close();
  });

  it("a blacklisted receiver: batchWithdraw credits it, a claim is refused while blocked and pays once unblocked", async () => {
    const openBlock = await openChannel();
    await pay(openBlock, price);
    await admin("blacklist", receiver.address);
    const [withdrawn, ...rest] = await receiver.withdraw(1n);
    assert.deepEqual(rest, []);
    assert.equal(withdrawn?.error, undefined);
    assert.equal(await balanceOf(receiver.address), 0n);
    await receiver.sync();
    assert.equal(receiver.claimableCredit(), price);
    assert.deepEqual(await receiver.withdraw(1n), [], "withdrawn once, credited once");

    await assert.rejects(receiver.claim());
    assert.equal(receiver.claimableCredit(), price);
    await admin("unBlacklist", receiver.address);
    assert.equal((await receiver.claim()).amount, price);
    assert.equal(await balanceOf(receiver.address), price);
    assert.equal(receiver.claimableCredit(), 0n);

    // The same channel pays on: the next withdrawal reaches the receiver at once.
    await pay(openBlock, 2n * price);
    await receiver.withdraw(1n);
    assert.equal(await balanceOf(receiver.address), 2n * price);
  });

  it("a blacklisted sender: the receiver's close pays the receiver, the sender's refund waits as its credit", async () => {
    const openBlock = await openChannel();
    await pay(openBlock, price);
    await pay(openBlock, 2n * price);
    const receiverBefore = await balanceOf(receiver.address);
    const senderBefore = await balanceOf(sender.address);
    await admin("blacklist", sender.address);
    // closeAll also closes the first test's channel (2 pages paid, all withdrawn already): its refund is credited too.
    const closed = (await receiver.closeAll()).find((result) => result.openBlock === openBlock);
    assert.ok(closed);
    assert.equal(closed.error, undefined);
    assert.equal((await balanceOf(receiver.address)) - receiverBefore, 2n * price);
    assert.equal(await balanceOf(sender.address), senderBefore);
    const refunds = 2n * (deposit - 2n * price);
    assert.equal(await claimable(sender.address), refunds);

    // A claim while USDC still refuses the sender reverts and leaves the credit; unblocked, it pays the refund.
    const claim = () =>
      walletOf(sender).writeContract({
        chain: null,
        address: chain.deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "claim",
      });
    await assert.rejects(claim());
    await admin("unBlacklist", sender.address);
    await mined(await claim());
    assert.equal((await balanceOf(sender.address)) - senderBefore, refunds);
    assert.equal(await claimable(sender.address), 0n);
  });

  it("a paused token: a withdrawal is credited, and the credit is claimed once USDC is unpaused", async () => {
    const openBlock = await openChannel();
    for (let page = 1n; page <= 5n; page++) await pay(openBlock, page * price);
    const before = await balanceOf(receiver.address);
    await admin("pause");
    try {
      assert.equal((await receiver.withdraw(1n))[0]?.error, undefined);
      await receiver.sync();
      assert.equal(receiver.claimableCredit(), 5n * price);
      await assert.rejects(receiver.claim());
    } finally {
      await admin("unpause");
    }
    assert.equal((await receiver.claim()).amount, 5n * price);
    assert.equal((await balanceOf(receiver.address)) - before, 5n * price);
  });
});
