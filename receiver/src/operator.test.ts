// The operator's commands and the proxied resource end to end: a real chain, the real receiver over HTTP with an
// operator token and an upstream, channel clients paying with fetchWithPayment. Withdrawals and closes are
// asserted on chain (getChannelInfo, token balances), the CLI is run as its own process.
// The tests share one chain and one server and run in order: each builds on the channels the previous left.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  type ChannelClient,
  ChannelRequiredError,
  createChannelClient,
  fetchWithPayment,
  memoryLock,
  memoryStorage,
  openChannel,
  type StoredChannel,
} from "@micro-raiden/web-client";
import {
  channelManagerAbi,
  decodeOperatorResults,
  decodePaymentResponseHeaders,
  demoTokenAbi,
  headerNames,
} from "@micro-raiden/web-client/protocol";
import { type Address, createPublicClient, createWalletClient, http, parseEther, parseEventLogs, toHex } from "viem";
import type { HDAccount } from "viem/accounts";
import { articles, testRoutes } from "./http/testReceiver.test-helper.ts";
import { type RunningServer, startServer } from "./startServer.ts";

const cli = fileURLToPath(new URL("./bin.ts", import.meta.url));
const operatorToken = "operator-token-for-tests-0123456789";
const deposit = parseEther("1");
const [article1, article2, article3] = articles.map((a) => a.price) as [bigint, bigint, bigint];
const proxyPrice = parseEther("0.001");

type Sender = {
  name: string;
  account: HDAccount;
  client: ChannelClient;
  channel: StoredChannel;
  /** The sender's token balance before it opened its channel. */
  tokensBefore: bigint;
  /** What the receiver answered 200 for, in total. */
  paid: bigint;
};
type OperatorResultJson = { sender_address: string; open_block: string; balance: string; transaction_hash: string };
type StatsJson = {
  deposit_sum: string;
  open_channels: number;
  pending_channels: number;
  balance_sum: string;
  liquid_balance: string;
};
type ChannelJson = { deposit: string; state: string; balance: string; withdrawn: string };

let chain: TestChain;
let server: RunningServer;
let upstream: Server;
let upstreamUp = true;
const upstreamHits: string[] = [];
let dir: string;
let publicClient: ReturnType<typeof createPublicClient>;
let receiverAddress: Address;
let receiverTokensAtStart: bigint;
const senders: Sender[] = [];

function tokenBalance(owner: Address): Promise<bigint> {
  return publicClient.readContract({
    address: chain.deployment.token,
    abi: demoTokenAbi,
    functionName: "balanceOf",
    args: [owner],
  });
}

/** The channel as the chain keeps it. */
async function onChain(sender: Sender) {
  const [, channelDeposit, withdrawn, settleBlock] = await publicClient.readContract({
    address: chain.deployment.channelManager,
    abi: channelManagerAbi,
    functionName: "getChannelInfo",
    args: [sender.account.address, receiverAddress, sender.channel.openBlock],
  });
  return { deposit: channelDeposit, withdrawn, settleBlock };
}

/** The channel as the receiver shows it to its operator. */
async function receiverView(sender: Sender): Promise<ChannelJson> {
  const response = await fetch(`${server.url}/api/1/channels/${sender.account.address}/${sender.channel.openBlock}`, {
    headers: { authorization: `Bearer ${operatorToken}` },
  });
  assert.equal(response.status, 200);
  return (await response.json()) as ChannelJson;
}

async function stats(): Promise<StatsJson> {
  const response = await fetch(`${server.url}/api/1/stats`);
  assert.equal(response.status, 200);
  return (await response.json()) as StatsJson;
}

async function operatorPost(command: "withdraw" | "close-all", body: unknown, token = operatorToken) {
  const response = await fetch(`${server.url}/api/1/${command}`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json };
}

/** What an operator answer says, comparable regardless of order: [sender, openBlock, balance]. */
function summarize(results: unknown): [string, string, string][] {
  assert.ok(Array.isArray(results), `expected an array, got ${JSON.stringify(results)}`);
  return (results as OperatorResultJson[])
    .map((r): [string, string, string] => {
      assert.match(r.transaction_hash, /^0x[0-9a-f]{64}$/);
      return [r.sender_address.toLowerCase(), r.open_block, r.balance];
    })
    .sort((a, b) => a[0].localeCompare(b[0]));
}
function expected(...entries: [Sender, bigint][]): [string, string, string][] {
  return entries
    .map(([s, balance]): [string, string, string] => [
      s.account.address.toLowerCase(),
      s.channel.openBlock.toString(),
      balance.toString(),
    ])
    .sort((a, b) => a[0].localeCompare(b[0]));
}

/** Pays for `path` and expects a 200 charged exactly `price` on top of what the sender paid so far. */
async function payOk(sender: Sender, path: string, price: bigint): Promise<Response> {
  const response = await fetchWithPayment(sender.client, { input: `${server.url}${path}` });
  assert.equal(response.status, 200, `${sender.name} ${path}: ${response.status}`);
  sender.paid += price;
  assert.equal(response.headers.get(headerNames.senderBalance), sender.paid.toString());
  assert.equal((await sender.client.storage.get(sender.channel))?.balance, sender.paid);
  return response;
}

async function newSender(name: string, account: HDAccount | undefined): Promise<Sender> {
  assert.ok(account);
  const client = createChannelClient({
    account,
    transport: http(chain.rpcUrl),
    storage: memoryStorage(),
    lock: memoryLock(),
  });
  const tokensBefore = await tokenBalance(account.address);
  const channel = await openChannel(client, {
    chainId: chain.deployment.chainId,
    contract: chain.deployment.channelManager,
    token: chain.deployment.token,
    receiver: receiverAddress,
    deposit,
  });
  const sender = { name, account, client, channel, tokensBefore, paid: 0n };
  senders.push(sender);
  return sender;
}

/** Runs the CLI as its own process; resolves with its exit code and output whatever the code. */
function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

before(async () => {
  chain = await startTestChain();
  publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
  const [deployer, , receiver] = chain.accounts;
  assert.ok(deployer && receiver);
  receiverAddress = receiver.address;
  const minter = createWalletClient({ account: deployer, transport: http(chain.rpcUrl) });
  for (const index of [1, 3, 4, 5]) {
    await publicClient.waitForTransactionReceipt({
      hash: await minter.writeContract({
        chain: null,
        address: chain.deployment.token,
        abi: demoTokenAbi,
        functionName: "mint",
        args: [chain.accounts[index]?.address ?? assert.fail(), parseEther("10")],
      }),
    });
  }

  upstream = createServer((request, response) => {
    upstreamHits.push(request.url ?? "");
    if (request.url === "/hello") {
      response.writeHead(200, { "content-type": "text/plain" }).end("upstream says hi");
    } else if (request.url === "/broken") {
      response.writeHead(500, { "content-type": "text/plain" }).end("upstream failed");
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  const { port } = upstream.address() as AddressInfo;

  dir = await mkdtemp(join(tmpdir(), "operator-"));
  await writeFile(join(dir, "operator.token"), `${operatorToken}\n`, { mode: 0o600 });
  await writeFile(join(dir, "wrong.token"), "not-the-operator-token-at-all\n", { mode: 0o600 });
  receiverTokensAtStart = await tokenBalance(receiverAddress);
  server = await startServer({
    rpcUrl: chain.rpcUrl,
    deployment: chain.deployment,
    privateKey: toHex(receiver.getHdKey().privateKey ?? new Uint8Array()),
    dbPath: join(dir, "receiver.db"),
    operatorToken,
    upstream: { url: `http://127.0.0.1:${port}`, price: proxyPrice },
    routes: testRoutes,
    port: 0,
    // The watcher reads the chain only when asked (a payment naming an unknown channel, or sync()): what the
    // operator's own transactions did must count before any poll reads their events back.
    pollIntervalMs: 3_600_000,
    log: () => {},
  });
});

after(async () => {
  await server?.close();
  if (upstreamUp) {
    upstream?.closeAllConnections();
    await new Promise((resolve) => upstream?.close(resolve));
  }
  await chain?.close();
});

describe("operator commands and the proxied resource, end to end", () => {
  let alice: Sender;
  let bob: Sender;
  let carol: Sender;
  let dave: Sender;

  it("withdraw takes only what channels owing at least the threshold hold, on chain, and leaves them open", async () => {
    alice = await newSender("alice", chain.accounts[1]);
    bob = await newSender("bob", chain.accounts[3]);
    await payOk(alice, "/articles/1", article1);
    await payOk(alice, "/articles/1", article1);
    await payOk(bob, "/articles/3", article3);
    await payOk(bob, "/articles/3", article3);
    assert.equal(alice.paid, parseEther("0.002"));
    assert.equal(bob.paid, parseEther("0.01"));

    // Above alice's balance, below bob's.
    const threshold = parseEther("0.005");
    const first = await operatorPost("withdraw", { threshold: threshold.toString() });
    assert.equal(first.status, 200, JSON.stringify(first.json));
    assert.deepEqual(summarize(first.json), expected([bob, bob.paid]));

    assert.deepEqual(await onChain(bob), { deposit, withdrawn: bob.paid, settleBlock: 0n });
    assert.deepEqual(await onChain(alice), { deposit, withdrawn: 0n, settleBlock: 0n });
    assert.equal((await tokenBalance(receiverAddress)) - receiverTokensAtStart, bob.paid);

    await server.receiver.sync();
    assert.deepEqual(await receiverView(bob), {
      sender_address: bob.account.address,
      open_block: bob.channel.openBlock.toString(),
      deposit: deposit.toString(),
      state: "open",
      balance: bob.paid.toString(),
      withdrawn: bob.paid.toString(),
      balance_signature: (await bob.client.storage.get(bob.channel))?.balanceSignature,
    });
    const afterFirst = await stats();
    assert.equal(afterFirst.open_channels, 2);
    assert.equal(afterFirst.balance_sum, alice.paid.toString(), "only alice's payments are still owed");
    assert.equal(afterFirst.deposit_sum, (2n * deposit).toString());

    // Both channels keep taking payments, bob's right on top of the withdrawn balance.
    await payOk(alice, "/articles/1", article1);
    await payOk(bob, "/articles/2", article2);

    const second = await operatorPost("withdraw", { threshold: "1" });
    assert.equal(second.status, 200, JSON.stringify(second.json));
    assert.deepEqual(summarize(second.json), expected([alice, alice.paid], [bob, bob.paid]));
    assert.deepEqual(await onChain(alice), { deposit, withdrawn: alice.paid, settleBlock: 0n });
    assert.deepEqual(await onChain(bob), { deposit, withdrawn: bob.paid, settleBlock: 0n });
    assert.equal((await tokenBalance(receiverAddress)) - receiverTokensAtStart, alice.paid + bob.paid);

    await server.receiver.sync();
    assert.equal((await stats()).balance_sum, "0");
    // Nothing is owed any more: nothing to withdraw, nothing sent.
    const third = await operatorPost("withdraw", { threshold: "1" });
    assert.equal(third.status, 200, JSON.stringify(third.json));
    assert.deepEqual(third.json, []);
    assert.equal((await tokenBalance(receiverAddress)) - receiverTokensAtStart, alice.paid + bob.paid);
  });

  it("the withdraw CLI withdraws through the API and prints the result; a wrong token exits non-zero", async () => {
    await payOk(alice, "/articles/1", article1);
    const withdrawnBefore = (await onChain(alice)).withdrawn;
    assert.equal(alice.paid - withdrawnBefore, article1);

    const wrongWithdraw = await runCli([
      "withdraw",
      "--url",
      server.url,
      "--operator-token-file",
      join(dir, "wrong.token"),
    ]);
    assert.notEqual(wrongWithdraw.code, 0, wrongWithdraw.stderr);
    assert.equal((JSON.parse(wrongWithdraw.stdout) as { error: { code: string } }).error.code, "unauthorized");
    const wrongClose = await runCli([
      "close-all",
      "--url",
      server.url,
      "--operator-token-file",
      join(dir, "wrong.token"),
    ]);
    assert.notEqual(wrongClose.code, 0, wrongClose.stderr);
    assert.equal((JSON.parse(wrongClose.stdout) as { error: { code: string } }).error.code, "unauthorized");
    // Nothing happened on chain.
    assert.deepEqual(await onChain(alice), { deposit, withdrawn: withdrawnBefore, settleBlock: 0n });
    assert.deepEqual(await onChain(bob), { deposit, withdrawn: bob.paid, settleBlock: 0n });

    const receiverBefore = await tokenBalance(receiverAddress);
    const ok = await runCli(["withdraw", "--url", server.url, "--operator-token-file", join(dir, "operator.token")]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.deepEqual(summarize(JSON.parse(ok.stdout)), expected([alice, alice.paid]));
    assert.deepEqual(await onChain(alice), { deposit, withdrawn: alice.paid, settleBlock: 0n });
    assert.equal((await tokenBalance(receiverAddress)) - receiverBefore, article1);
    await server.receiver.sync();
  });

  it("the proxied resource: 402 without payment, the upstream's answer charged once, failures charge nothing", async () => {
    carol = await newSender("carol", chain.accounts[4]);

    const unpaid = await fetch(`${server.url}/proxy/hello`);
    assert.equal(unpaid.status, 402);
    assert.equal(decodePaymentResponseHeaders(unpaid.headers).requirements.price, proxyPrice);
    await unpaid.body?.cancel();
    assert.deepEqual(upstreamHits, [], "no upstream request without a payment");

    const paid = await payOk(carol, "/proxy/hello", proxyPrice);
    assert.equal(await paid.text(), "upstream says hi");
    assert.match(paid.headers.get("content-type") ?? "", /^text\/plain/);
    assert.deepEqual(upstreamHits, ["/hello"]);
    assert.equal((await receiverView(carol)).balance, proxyPrice.toString());

    // The upstream fails: the sender gets the 500 and is charged nothing.
    const broken = await fetchWithPayment(carol.client, { input: `${server.url}/proxy/broken` });
    assert.equal(broken.status, 500);
    assert.equal(await broken.text(), "upstream failed");
    assert.equal((await receiverView(carol)).balance, carol.paid.toString());
    assert.equal((await carol.client.storage.get(carol.channel))?.balance, carol.paid);
    // The next payment on the channel is the same balance + price.
    assert.equal(await (await payOk(carol, "/proxy/hello", proxyPrice)).text(), "upstream says hi");

    // The upstream is down: 502, nothing charged, and the channel carries on.
    upstream.closeAllConnections();
    await new Promise((resolve) => upstream.close(resolve));
    upstreamUp = false;
    const down = await fetchWithPayment(carol.client, { input: `${server.url}/proxy/hello` });
    assert.equal(down.status, 502);
    assert.equal(((await down.json()) as { error: { code: string } }).error.code, "upstream_unavailable");
    assert.equal((await receiverView(carol)).balance, carol.paid.toString());
    assert.equal((await carol.client.storage.get(carol.channel))?.balance, carol.paid);
    await payOk(carol, "/articles/1", article1);
    assert.equal((await receiverView(carol)).balance, (2n * proxyPrice + article1).toString());
    assert.deepEqual(upstreamHits, ["/hello", "/broken", "/hello"]);
  });

  it("close-all closes every paid channel on chain at its latest proof and pays everyone exactly", async () => {
    // bob's channel owes again (partly withdrawn), alice's is fully withdrawn, carol's never was.
    await payOk(bob, "/articles/1", article1);
    const owed = new Map<Sender, bigint>();
    for (const s of senders) owed.set(s, s.paid - (await onChain(s)).withdrawn);
    assert.deepEqual([...owed.values()], [0n, article1, carol.paid]);
    const receiverBefore = await tokenBalance(receiverAddress);

    const answer = await operatorPost("close-all", {});
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    assert.deepEqual(summarize(answer.json), expected(...senders.map((s): [Sender, bigint] => [s, s.paid])));

    for (const s of senders) {
      assert.deepEqual(await onChain(s), { deposit: 0n, withdrawn: 0n, settleBlock: 0n }, `${s.name}'s channel`);
      assert.equal(await tokenBalance(s.account.address), s.tokensBefore - s.paid, `${s.name} got the rest back`);
    }
    const totalPaid = senders.reduce((sum, s) => sum + s.paid, 0n);
    assert.equal(
      (await tokenBalance(receiverAddress)) - receiverBefore,
      [...owed.values()].reduce((sum, o) => sum + o, 0n),
    );
    assert.equal((await tokenBalance(receiverAddress)) - receiverTokensAtStart, totalPaid, "paid totals, in all");

    await server.receiver.sync();
    const final = await stats();
    assert.equal(final.open_channels, 0);
    assert.equal(final.pending_channels, 0);
    assert.equal(final.deposit_sum, "0");
    assert.equal(final.balance_sum, "0");
    assert.equal(final.liquid_balance, (receiverTokensAtStart + totalPaid).toString());
    const channels = await fetch(`${server.url}/api/1/channels`, {
      headers: { authorization: `Bearer ${operatorToken}` },
    });
    assert.deepEqual(await channels.json(), []);

    // Nothing left to close, and a closed channel takes no payment.
    const again = await operatorPost("close-all", {});
    assert.equal(again.status, 200, JSON.stringify(again.json));
    assert.deepEqual(again.json, []);
    await assert.rejects(fetchWithPayment(alice.client, { input: `${server.url}/articles/1` }), ChannelRequiredError);
    assert.equal((await tokenBalance(receiverAddress)) - receiverTokensAtStart, totalPaid);
  });

  // The operator sent these transactions and waited for their receipts: what they did must count at once, not
  // only once the watcher's next poll has read the events back (1 s by default). The watcher never polls on its own
  // here, which makes "before its next poll" deterministic.
  it("a withdrawal counts at once: repeating it right away withdraws nothing and fails nothing", async () => {
    dave = await newSender("dave", chain.accounts[5]);
    await payOk(dave, "/articles/1", article1);
    {
      const first = await operatorPost("withdraw", { threshold: "1" });
      assert.equal(first.status, 200, JSON.stringify(first.json));
      assert.deepEqual(summarize(first.json), expected([dave, dave.paid]));
      assert.deepEqual(await onChain(dave), { deposit, withdrawn: dave.paid, settleBlock: 0n });

      const repeat = await operatorPost("withdraw", { threshold: "1" });
      assert.equal(repeat.status, 200, "nothing is owed any more, so nothing to do (not a reverted withdraw)");
      assert.deepEqual(repeat.json, []);
    }
  });

  it("a close counts at once: the closed channel takes no payment and close-all right away closes nothing", async () => {
    await payOk(dave, "/articles/1", article1);
    const receiverBefore = await tokenBalance(receiverAddress);
    const withdrawn = (await onChain(dave)).withdrawn;
    {
      const closed = await operatorPost("close-all", {});
      assert.equal(closed.status, 200, JSON.stringify(closed.json));
      assert.deepEqual(summarize(closed.json), expected([dave, dave.paid]));
      assert.deepEqual(await onChain(dave), { deposit: 0n, withdrawn: 0n, settleBlock: 0n });
      assert.equal((await tokenBalance(receiverAddress)) - receiverBefore, dave.paid - withdrawn);

      // The channel is settled on chain: a proof on it can never be redeemed, so the content must not go out.
      const late = await fetchWithPayment(dave.client, { input: `${server.url}/articles/1` }).then(
        (response) => response.status,
        (error: unknown) => error,
      );
      assert.notEqual(late, 200, "a payment on a channel the operator just closed was answered 200");
      assert.equal((await receiverView(dave)).balance, dave.paid.toString());

      const again = await operatorPost("close-all", {});
      assert.equal(again.status, 200, "nothing is left to close (not a reverted cooperativeClose)");
      assert.deepEqual(again.json, []);
    }
  });
  it("withdraw pays many channels in one transaction, skips a channel closed meanwhile, and never pays twice", async () => {
    const batch: Sender[] = [];
    for (const [index, name] of [
      [6, "erin"],
      [7, "frank"],
      [8, "grace"],
      [9, "heidi"],
    ] as const) {
      await chain.mint(chain.accounts[index]?.address ?? assert.fail(), parseEther("10"));
      const sender = await newSender(name, chain.accounts[index]);
      await payOk(sender, "/articles/1", article1);
      batch.push(sender);
    }
    const [erin, frank, grace, heidi] = batch as [Sender, Sender, Sender, Sender];
    await payOk(frank, "/articles/2", article2);

    // heidi closes her channel herself and settles it once the challenge period is over (at what she paid, so the
    // receiver loses nothing). The receiver has not read this yet: heidi's channel is still open in its book.
    const heidiWallet = createWalletClient({ account: heidi.account, transport: http(chain.rpcUrl) });
    const manager = { chain: null, address: chain.deployment.channelManager, abi: channelManagerAbi } as const;
    await publicClient.waitForTransactionReceipt({
      hash: await heidiWallet.writeContract({
        ...manager,
        functionName: "uncooperativeClose",
        args: [receiverAddress, heidi.channel.openBlock, heidi.paid],
      }),
    });
    await chain.testClient.mine({ blocks: chain.deployment.challengePeriod + 1 });
    await publicClient.waitForTransactionReceipt({
      hash: await heidiWallet.writeContract({
        ...manager,
        functionName: "settle",
        args: [heidi.account.address, receiverAddress, heidi.channel.openBlock],
      }),
    });
    assert.equal((await receiverView(heidi)).state, "open", "the receiver has not read heidi's close");

    const nonceBefore = await publicClient.getTransactionCount({ address: receiverAddress });
    const receiverBefore = await tokenBalance(receiverAddress);
    const answer = await operatorPost("withdraw", { threshold: "1" });
    assert.equal(answer.status, 200, JSON.stringify(answer.json));
    const results = decodeOperatorResults(answer.json);
    assert.deepEqual(summarize(answer.json), expected(...batch.map((s): [Sender, bigint] => [s, s.paid])));

    // One transaction for all four channels.
    assert.equal(await publicClient.getTransactionCount({ address: receiverAddress }), nonceBefore + 1);
    const [hash, ...others] = new Set(results.map((r) => r.transactionHash));
    assert.ok(hash);
    assert.deepEqual(others, []);
    // heidi's entry is reported skipped, under its own index in the batch, with the contract's reason.
    const heidiIndex = results.findIndex((r) => r.sender === heidi.account.address);
    assert.deepEqual(
      results.map((r) => [r.skipped, r.error]),
      results.map((_, i) =>
        i === heidiIndex ? [{ index: heidiIndex, reason: "ChannelNotFound" }, undefined] : [undefined, undefined],
      ),
    );

    // The three others are paid, on chain, with a single token transfer to the receiver; heidi's is untouched.
    const paidOut = erin.paid + frank.paid + grace.paid;
    for (const s of [erin, frank, grace]) {
      assert.deepEqual(await onChain(s), { deposit, withdrawn: s.paid, settleBlock: 0n }, s.name);
    }
    assert.deepEqual(await onChain(heidi), { deposit: 0n, withdrawn: 0n, settleBlock: 0n });
    const receipt = await publicClient.getTransactionReceipt({ hash });
    const transfers = parseEventLogs({ abi: demoTokenAbi, eventName: "Transfer", logs: receipt.logs });
    assert.deepEqual(
      transfers.map(({ args }) => [args.from, args.to, args.value]),
      [[chain.deployment.channelManager, receiverAddress, paidOut]],
    );
    assert.equal((await tokenBalance(receiverAddress)) - receiverBefore, paidOut);

    // The skip made the receiver read the chain: it knows heidi's channel is settled, and a re-run has nothing to
    // do. No transaction is sent, nothing is paid twice.
    assert.equal((await receiverView(heidi)).state, "settled");
    const again = await operatorPost("withdraw", { threshold: "1" });
    assert.equal(again.status, 200, JSON.stringify(again.json));
    assert.deepEqual(again.json, []);
    assert.equal(await publicClient.getTransactionCount({ address: receiverAddress }), nonceBefore + 1);
    assert.equal((await tokenBalance(receiverAddress)) - receiverBefore, paidOut);

    // A later payment is withdrawn on top of the batch's, and only it.
    await payOk(grace, "/articles/3", article3);
    const next = await operatorPost("withdraw", { threshold: "1" });
    assert.deepEqual(summarize(next.json), expected([grace, grace.paid]));
    assert.equal((await tokenBalance(receiverAddress)) - receiverBefore, paidOut + article3);
  });
});
