// A receiver whose token refuses to pay it (a USDC-style blocklist), on a real chain: a genuine ChannelManager over
// the contracts package's test-only BlocklistToken. The withdrawal still goes through and becomes the receiver's
// credit; the watcher reads PayoutDeferred and the receiver knows its credit; a claim is refused while the token still
// refuses, and pays once it no longer does.
import assert from "node:assert/strict";
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { deployContracts } from "@micro-raiden/contracts/deploy";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { channelManagerAbi, type Deployment } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  erc20Abi,
  type Hash,
  http,
  isHex,
  parseAbi,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
} from "viem";
import type { HDAccount } from "viem/accounts";
import type { Receiver } from "../Receiver.ts";
import { startReceiver } from "../startReceiver.ts";
import { payPaywall } from "./payPaywall.test-helper.ts";

const blocklistAbi = parseAbi([
  "function mint(address to, uint256 amount)",
  "function setBlocked(address account, bool isBlocked)",
]);
const price = parseEther("0.25");

/** The test-only BlocklistToken's creation code, from the contracts package's build next to its testing entry. */
async function blocklistTokenBytecode() {
  const testing = import.meta.resolve("@micro-raiden/contracts/testing");
  const artifact: unknown = JSON.parse(
    await readFile(new URL("../artifacts/contracts/test/BlocklistToken.sol/BlocklistToken.json", testing), "utf8"),
  );
  const bytecode = typeof artifact === "object" && artifact !== null ? Reflect.get(artifact, "bytecode") : undefined;
  assert.ok(isHex(bytecode), "no BlocklistToken artifact: run `npm run build -w contracts`");
  return bytecode;
}

describe("a receiver the token refuses to pay", () => {
  let chain: TestChain;
  let deployment: Deployment;
  let receiver: Receiver;
  let sender: HDAccount;
  let receiverAccount: HDAccount;
  const logs: string[] = [];
  let dbPath: string;
  let openBlock: bigint;
  const receiverOptions = () => ({
    rpcUrl: chain.rpcUrl,
    deployment,
    privateKey: toHex(receiverAccount.getHdKey().privateKey ?? assert.fail()),
    dbPath,
    pollIntervalMs: 3_600_000,
    log: (level: string, message: string) => logs.push(`${level}: ${message}`),
  });
  /** Pays the receiver's paywall up to `balance` in total, over HTTP. */
  const pay = (balance: bigint) => payPaywall({ receiver, sender, openBlock, balance, price });
  const publicClient = () => createPublicClient({ transport: http(chain.rpcUrl) });
  const deployer = () =>
    createWalletClient({ account: chain.accounts[0] ?? assert.fail(), transport: http(chain.rpcUrl) });
  const mined = async (hash: Hash) => {
    const receipt = await publicClient().waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    return receipt;
  };
  const balanceOf = (owner: Address) =>
    publicClient().readContract({ address: deployment.token, abi: erc20Abi, functionName: "balanceOf", args: [owner] });
  const block = (isBlocked: boolean) =>
    deployer()
      .writeContract({
        chain: null,
        address: deployment.token,
        abi: blocklistAbi,
        functionName: "setBlocked",
        args: [receiverAccount.address, isBlocked],
      })
      .then(mined);

  before(async () => {
    chain = await startTestChain();
    const [, first, second] = chain.accounts;
    assert.ok(first && second);
    sender = first;
    receiverAccount = second;
    const token = (
      await mined(
        await deployer().deployContract({ chain: null, abi: blocklistAbi, bytecode: await blocklistTokenBytecode() }),
      )
    ).contractAddress;
    assert.ok(token);
    // A genuine ChannelManager over that token: the receiver's startup check passes it.
    deployment = await deployContracts({ rpcUrl: chain.rpcUrl, token });

    await mined(
      await deployer().writeContract({
        chain: null,
        address: token,
        abi: blocklistAbi,
        functionName: "mint",
        args: [sender.address, parseEther("10")],
      }),
    );
    dbPath = join(await mkdtemp(join(tmpdir(), "credit-")), "receiver.db");
    receiver = await startReceiver(receiverOptions());

    // The sender opens a channel (approve + createChannel: the token has no permit).
    const wallet = createWalletClient({ account: sender, transport: http(chain.rpcUrl) });
    await mined(
      await wallet.writeContract({
        chain: null,
        address: deployment.token,
        abi: erc20Abi,
        functionName: "approve",
        args: [deployment.channelManager, parseEther("1")],
      }),
    );
    const opened = await mined(
      await wallet.writeContract({
        chain: null,
        address: deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "createChannel",
        args: [receiver.address, parseEther("1"), zeroAddress],
      }),
    );
    const [created] = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: opened.logs });
    assert.ok(created);
    openBlock = created.args.openBlock;
  });

  after(async () => {
    await receiver?.close();
    await chain?.close();
  });

  it("withdraws all the same, knows the credit from PayoutDeferred, and claims it once the token pays again", async () => {
    await pay(price);
    assert.equal(receiver.claimableCredit(), 0n);

    // The token now refuses the receiver: the withdrawal is recorded on chain and kept as credit.
    await block(true);
    const [withdrawn, ...rest] = await receiver.withdraw(1n);
    assert.deepEqual(rest, []);
    assert.equal(withdrawn?.error, undefined);
    assert.equal(withdrawn?.skipped, undefined);
    assert.equal(await balanceOf(receiver.address), 0n);
    await receiver.sync();
    assert.equal(receiver.claimableCredit(), price);
    assert.ok(
      logs.some((line) => line.startsWith("warn: the token refused to pay the receiver") && line.includes(`${price}`)),
      logs.join("\n"),
    );
    assert.deepEqual(await receiver.withdraw(1n), [], "withdrawn once, credited once");

    // A claim while the token still refuses reverts and leaves the credit.
    await assert.rejects(receiver.claim());
    assert.equal(receiver.claimableCredit(), price);

    await block(false);
    const claimed = await receiver.claim();
    assert.equal(claimed.amount, price);
    assert.equal(await balanceOf(receiver.address), price);
    assert.equal(receiver.claimableCredit(), 0n);
    await assert.rejects(receiver.claim(), "nothing left to claim");
  });

  it("a restarted receiver knows a credit from before its stored cursor (read from the contract)", async () => {
    await pay(2n * price);
    await block(true);
    assert.equal((await receiver.withdraw(1n))[0]?.error, undefined);
    await receiver.sync();
    assert.equal(receiver.claimableCredit(), price);

    // The store's cursor is past the PayoutDeferred event now: a restart will not read it again.
    await receiver.close();
    receiver = await startReceiver(receiverOptions());
    assert.equal(receiver.claimableCredit(), price);
    await block(false);
    assert.equal((await receiver.claim()).amount, price);
    assert.equal(receiver.claimableCredit(), 0n);
    assert.equal(await balanceOf(receiver.address), 2n * price);
  });
});
