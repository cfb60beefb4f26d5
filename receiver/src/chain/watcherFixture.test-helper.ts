// Shared set-up for the watcher tests: one real chain (startTestChain) per test file, rewound to the state right
// after deployment before each test, senders that drive the channel manager with viem, and a receiver + watcher
// harness on a SQLite file that can be restarted on the same file.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { balanceProofTypedData, channelManagerAbi, demoTokenAbi } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  createPublicClient,
  createWalletClient,
  encodePacked,
  type Hash,
  type Hex,
  http,
  parseEther,
  toHex,
} from "viem";
import type { HDAccount } from "viem/accounts";
import { createReceiverCore, type ReceiverCore } from "../receiver/createReceiverCore.ts";
import type { ProofStore } from "../store/ProofStore.ts";
import { sqliteStore } from "../store/sqliteStore.ts";
import { createWatcher, type Watcher } from "./createWatcher.ts";

export const TOKENS = 10n ** 18n;

export type LogEntry = { level: "info" | "warn" | "error"; message: string };

export type WatcherHarness = {
  receiver: ReceiverCore;
  watcher: Watcher;
  store: ProofStore;
  dbPath: string;
  logs: LogEntry[];
  /** Stops the watcher and closes the store (idempotent). */
  close(): Promise<void>;
};

export type WatcherChain = Awaited<ReturnType<typeof startWatcherChain>>;

/**
 * Starts the chain and returns helpers. Accounts: 0 deployer, 1 and 3 senders, 2 the receiver under test, 4 another
 * receiver. `reset()` rewinds the chain to just after deployment (the next block is deploymentBlock + 1).
 */
export async function startWatcherChain() {
  const chain: TestChain = await startTestChain();
  const { deployment, testClient, rpcUrl } = chain;
  const account = (index: number): HDAccount => {
    const found = chain.accounts[index];
    assert.ok(found, `account ${index} missing`);
    return found;
  };
  const deployer = account(0);
  const receiverAccount = account(2);
  const senders = [account(1), account(3)] as const;
  const otherReceiver = account(4);
  const transport = http(rpcUrl);
  const publicClient = createPublicClient({ transport, pollingInterval: 20 });
  const domain = { chainId: deployment.chainId, contract: deployment.channelManager };
  let pristine = await testClient.snapshot();
  const directory = mkdtempSync(join(tmpdir(), "watcher-test-"));
  let files = 0;

  const wallet = (from: HDAccount) => createWalletClient({ account: from, transport, pollingInterval: 20 });

  async function mined(hash: Hash) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 20 });
    assert.equal(receipt.status, "success", `transaction ${hash} reverted`);
    return receipt;
  }

  const mint = (to: Address, amount = 1_000n * TOKENS) => chain.mint(to, amount);

  /** Opens a channel in one transaction (ERC-1363 transferAndCall) and returns its open block. */
  async function open(from: HDAccount, deposit: bigint, to: Address = receiverAccount.address): Promise<bigint> {
    const receipt = await mined(
      await wallet(from).writeContract({
        chain: null,
        address: deployment.token,
        abi: demoTokenAbi,
        functionName: "transferAndCall",
        args: [deployment.channelManager, deposit, encodePacked(["address"], [to])],
      }),
    );
    return receipt.blockNumber;
  }

  /** Tops a channel up in one transaction (ERC-1363) and returns the block it came in. */
  async function topUp(
    from: HDAccount,
    openBlock: bigint,
    amount: bigint,
    to: Address = receiverAccount.address,
  ): Promise<bigint> {
    const receipt = await mined(
      await wallet(from).writeContract({
        chain: null,
        address: deployment.token,
        abi: demoTokenAbi,
        functionName: "transferAndCall",
        args: [deployment.channelManager, amount, encodePacked(["address", "uint64"], [to, openBlock])],
      }),
    );
    return receipt.blockNumber;
  }

  function signProof(from: HDAccount, openBlock: bigint, balance: bigint, to: Address = receiverAccount.address) {
    return from.signTypedData(
      balanceProofTypedData(domain, { sender: from.address, receiver: to, openBlock, balance }),
    );
  }

  async function uncooperativeClose(
    from: HDAccount,
    openBlock: bigint,
    balance: bigint,
    to: Address = receiverAccount.address,
  ) {
    return mined(
      await wallet(from).writeContract({
        chain: null,
        address: deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "uncooperativeClose",
        args: [to, openBlock, balance],
      }),
    );
  }

  async function settle(from: HDAccount, openBlock: bigint, to: Address = receiverAccount.address) {
    return mined(
      await wallet(from).writeContract({
        chain: null,
        address: deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "settle",
        args: [from.address, to, openBlock],
      }),
    );
  }

  /** The receiver takes `balance` (cumulative) from a channel without closing it. */
  async function withdraw(sender: Address, openBlock: bigint, balance: bigint, signature: Hex, by = receiverAccount) {
    return mined(
      await wallet(by).writeContract({
        chain: null,
        address: deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "withdraw",
        args: [sender, openBlock, balance, signature],
      }),
    );
  }

  async function channelInfo(sender: Address, openBlock: bigint, to: Address = receiverAccount.address) {
    const [, deposit, withdrawn, settleBlock, closingBalance] = await publicClient.readContract({
      address: deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "getChannelInfo",
      args: [sender, to, openBlock],
    });
    return { deposit, withdrawn, settleBlock, closingBalance };
  }

  function tokenBalance(owner: Address) {
    return publicClient.readContract({
      address: deployment.token,
      abi: demoTokenAbi,
      functionName: "balanceOf",
      args: [owner],
    });
  }

  /** A fresh database file name in the test directory. */
  function newDbPath() {
    files += 1;
    return join(directory, `receiver-${files}.db`);
  }

  /** A receiver (accounts[2]) and its watcher on `dbPath`; messages are collected, never printed. */
  function startReceiver(options: {
    dbPath: string;
    confirmations?: number;
    maxBlockRange?: bigint;
    requestTimeoutMs?: number;
    maxChannels?: number;
  }): WatcherHarness {
    const store = sqliteStore(options.dbPath);
    const receiver = createReceiverCore({
      store,
      account: receiverAccount,
      deployment,
      confirmations: options.confirmations ?? 1,
      requestTimeoutMs: options.requestTimeoutMs,
      maxChannels: options.maxChannels,
    });
    const logs: LogEntry[] = [];
    const watcher = createWatcher({
      receiver,
      publicClient,
      walletClient: wallet(receiverAccount),
      pollIntervalMs: 50,
      maxBlockRange: options.maxBlockRange,
      log: (level, message) => logs.push({ level, message }),
    });
    let closed = false;
    return {
      receiver,
      watcher,
      store,
      dbPath: options.dbPath,
      logs,
      async close() {
        if (closed) return;
        closed = true;
        await watcher.stop();
        store.close();
      },
    };
  }

  return {
    chain,
    deployer,
    wallet,
    deployment,
    testClient,
    publicClient,
    receiverAccount,
    senders,
    otherReceiver,
    domain,
    mint,
    open,
    topUp,
    signProof,
    uncooperativeClose,
    settle,
    withdraw,
    channelInfo,
    tokenBalance,
    newDbPath,
    startReceiver,
    async head() {
      return publicClient.getBlockNumber({ cacheTime: 0 });
    },
    async mine(blocks: number) {
      await testClient.mine({ blocks });
    },
    /** Sets an account's ETH balance (0 to drain it). */
    async setEth(address: Address, eth: string) {
      await testClient.setBalance({ address, value: parseEther(eth) });
    },
    /** Rewinds the chain to just after deployment. */
    async reset() {
      await testClient.setAutomine(true);
      await testClient.revert({ id: pristine });
      pristine = await testClient.snapshot();
    },
    async close() {
      await chain.close();
      rmSync(directory, { recursive: true, force: true });
    },
    /** The receiver's private key, to check it never appears in a log message. */
    receiverAccountKeyHex(): Hex {
      const key = receiverAccount.getHdKey().privateKey;
      assert.ok(key);
      return toHex(key);
    },
  };
}
