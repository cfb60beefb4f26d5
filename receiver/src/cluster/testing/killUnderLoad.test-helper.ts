// kill -9 under load: receiver processes on one database, senders paying in parallel across them, a random receiver
// (the leader included) killed again and again and restarted. Used by killUnderLoad.test.ts (lean) and
// bench/cluster-kill.ts (the full counts).
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { channelManagerAbi, demoTokenAbi } from "@micro-raiden/web-client/protocol";
import postgres from "postgres";
import { createWalletClient, encodePacked, http, type LocalAccount, parseEventLogs } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { TOKENS, type WatcherChain } from "../../chain/watcherFixture.test-helper.ts";
import {
  createPayer,
  freePort,
  type ReceiverProcess,
  spawnReceiver,
  startUpstream,
} from "./receiverProcess.test-helper.ts";

export type KillUnderLoadOptions = {
  fx: WatcherChain;
  databaseUrl: string;
  receivers: number;
  senders: number;
  kills: number;
  /** How long the senders pay between two kills, in ms. */
  loadMs: number;
  log?: (line: string) => void;
};

export type KillUnderLoadFigures = {
  kills: number;
  leaderKills: number;
  takeovers: number;
  paid: number;
  /** Payments answered 200 that the database does not hold. */
  lost: number;
  /** Charged beyond what was answered 200 (the database's balance above the acknowledged one). */
  doubleCharged: number;
  /** Payments charged whose answer was lost with a killed receiver, and not served again: the client paid on. */
  answersLost: number;
  /** Answers other than 200 (a refused payment). */
  refused: Record<string, number>;
  /** For each kill, the longest any sender went without a paid answer after it, in ms. */
  resumeMs: number[];
  /** The stale close sent during the kills was challenged: the channel closed at the receiver's proof. */
  staleCloseChallenged: boolean;
};

export async function killUnderLoad(options: KillUnderLoadOptions): Promise<KillUnderLoadFigures> {
  const { fx } = options;
  const log = options.log ?? (() => {});
  const price = TOKENS / 10_000n;
  const dir = await mkdtemp(join(tmpdir(), "kill-under-load-"));
  const upstream = await startUpstream();
  const ports = await Promise.all(Array.from({ length: options.receivers }, () => freePort()));
  const urls = ports.map((port) => `http://127.0.0.1:${port}`);
  const running: (ReceiverProcess | undefined)[] = ports.map(() => undefined);
  const start = async (index: number) => {
    running[index] = await spawnReceiver({
      dir: await mkdtemp(join(dir, `receiver-${index}-`)),
      rpcUrl: fx.chain.rpcUrl,
      deployment: fx.deployment,
      privateKey: fx.receiverAccountKeyHex(),
      databaseUrl: options.databaseUrl,
      port: ports[index] ?? 0,
      upstream: { url: upstream.url, price },
    });
  };
  let stopping = false;
  try {
    const began = Date.now();
    for (let i = 0; i < options.receivers; i++) await start(i);
    log(`${options.receivers} receivers up in ${Date.now() - began} ms`);

    // Senders with a channel each (and gas for it); one more whose sender will close it stale.
    const accounts: LocalAccount[] = [];
    const payers = [];
    const opens: bigint[] = [];
    for (let i = 0; i <= options.senders; i++) {
      const account = privateKeyToAccount(generatePrivateKey());
      await fx.setEth(account.address, "1");
      await fx.mint(account.address, 100n * TOKENS);
      accounts.push(account);
      const openBlock = await open(fx, account, 10n * TOKENS);
      opens.push(openBlock);
      payers.push(
        createPayer({
          account,
          openBlock,
          deployment: fx.deployment,
          receiver: fx.receiverAccount.address,
          price,
        }),
      );
    }
    log(`${options.senders + 1} channels open at ${Date.now() - began} ms`);
    const stale = payers.pop() ?? assert.fail();
    const staleAccount = accounts.pop() ?? assert.fail();
    const staleOpen = opens.pop() ?? assert.fail();
    for (let i = 0; i < 3; i++) assert.equal((await stale.pay(urls)).status, 200);

    const refused: Record<string, number> = {};
    let paid = 0;
    const lastPaid = payers.map(() => Date.now());
    const loops = payers.map(async (payer, index) => {
      while (!stopping) {
        const before = payer.answersLost();
        const { status, failure } = await payer.pay(urls, Math.floor(Math.random() * urls.length));
        if (payer.answersLost() > before) {
          log(`  sender ${index}: charged, its answer lost (${failure})`);
          continue;
        }
        if (status === 200) {
          paid += 1;
          lastPaid[index] = Date.now();
        } else {
          const why = `${status}${failure ? ` ${failure}` : ""}`;
          refused[why] = (refused[why] ?? 0) + 1;
          log(`  sender ${index} refused: ${why}`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    });

    const resumeMs: number[] = [];
    let leaderKills = 0;
    let takeovers = 0;
    /** Receivers coming back, by index: a restart that fails is tried again. */
    const restarting = new Map<number, Promise<void>>();
    const restart = (index: number) => {
      const started = (async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            await start(index);
            return;
          } catch (error) {
            if (attempt >= 3) throw error;
            log(`  receiver ${index} did not start, again: ${error instanceof Error ? error.message : error}`);
          }
        }
      })().finally(() => restarting.delete(index));
      restarting.set(index, started);
    };
    for (let kill = 0; kill < options.kills; kill++) {
      await new Promise((resolve) => setTimeout(resolve, options.loadMs));
      // Kill among the running receivers, keeping one up (a restart takes seconds: wait for one when needed); the
      // leader every other round.
      while (running.filter(Boolean).length < 2) await Promise.race(restarting.values());
      const alive = running.flatMap((r, i) => (r ? [i] : []));
      const leader = alive.find((i) => running[i]?.leads());
      const victim =
        kill % 2 === 0 && leader !== undefined ? leader : (alive[Math.floor(Math.random() * alive.length)] ?? 0);
      const process = running[victim] ?? assert.fail();
      const wasLeader = process.leads();
      if (wasLeader) leaderKills += 1;
      const killedAt = Date.now();
      process.child.kill("SIGKILL");
      await process.exited;
      running[victim] = undefined;
      // It comes back on its port while the others serve.
      restart(victim);
      if (kill === Math.floor(options.kills / 2)) {
        // The stale close: its sender asks to close at 0 while the receiver holds a proof for 3 payments.
        const hash = await createWalletClient({
          account: staleAccount,
          transport: http(fx.chain.rpcUrl),
        }).writeContract({
          chain: null,
          address: fx.deployment.channelManager,
          abi: channelManagerAbi,
          functionName: "uncooperativeClose",
          args: [fx.receiverAccount.address, staleOpen, 0n],
        });
        await fx.publicClient.waitForTransactionReceipt({ hash });
      }
      // Every sender pays again through the others.
      await Promise.all(
        payers.map(async (_, index) => {
          let said = Date.now();
          while ((lastPaid[index] ?? 0) <= killedAt) {
            if (Date.now() - said > 5000) {
              said = Date.now();
              log(`  sender ${index} has not paid since the kill ${Date.now() - killedAt} ms ago`);
            }
            await new Promise((resolve) => setTimeout(resolve, 10));
          }
        }),
      );
      resumeMs.push(Math.max(...lastPaid.map((t) => t - killedAt)));
      if (wasLeader) {
        const deadline = Date.now() + 15_000;
        while (!running.some((r) => r?.leads())) {
          if (Date.now() > deadline) assert.fail("no receiver took over the leadership");
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        takeovers += 1;
      }
      log(
        `kill ${kill + 1}: receiver ${victim}${wasLeader ? " (the leader)" : ""}, all senders paid again within ${resumeMs.at(-1)} ms`,
      );
    }
    await Promise.all(restarting.values());
    stopping = true;
    await Promise.all(loops);

    // Every acknowledged payment is in the database, and nothing more was charged.
    const sql = postgres(options.databaseUrl, { max: 1, onnotice: () => {} });
    let lost = 0;
    let doubleCharged = 0;
    try {
      for (const [index, payer] of payers.entries()) {
        const account = accounts[index] ?? assert.fail();
        const [row] = await sql`SELECT balance::text AS balance FROM proofs
          WHERE sender = ${account.address} AND open_block = ${(opens[index] ?? 0n).toString()}::bigint`;
        const stored = BigInt(row?.balance ?? "0");
        if (stored < payer.acknowledged()) lost += Number((payer.acknowledged() - stored) / price);
        if (stored > payer.acknowledged()) doubleCharged += Number((stored - payer.acknowledged()) / price);
      }
    } finally {
      await sql.end();
    }
    const deadline = Date.now() + 20_000;
    let staleCloseChallenged = false;
    while (Date.now() < deadline) {
      const info = await fx.channelInfo(staleAccount.address, staleOpen);
      if (info.deposit === 0n) {
        staleCloseChallenged = true;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return {
      kills: options.kills,
      leaderKills,
      takeovers,
      paid,
      answersLost: payers.reduce((sum, payer) => sum + payer.answersLost(), 0),
      lost,
      doubleCharged,
      refused,
      resumeMs,
      staleCloseChallenged,
    };
  } finally {
    stopping = true;
    for (const process of running) process?.child.kill("SIGKILL");
    await upstream.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Opens a channel from `account` to the fixture's receiver (ERC-1363 transferAndCall) and returns its open block. */
async function open(fx: WatcherChain, account: LocalAccount, deposit: bigint): Promise<bigint> {
  const hash = await createWalletClient({ account, transport: http(fx.chain.rpcUrl) }).writeContract({
    chain: null,
    address: fx.deployment.token,
    abi: demoTokenAbi,
    functionName: "transferAndCall",
    args: [fx.deployment.channelManager, deposit, encodePacked(["address"], [fx.receiverAccount.address])],
  });
  const receipt = await fx.publicClient.waitForTransactionReceipt({ hash });
  const [created] = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs });
  return created?.args.openBlock ?? assert.fail("no channel opened");
}
