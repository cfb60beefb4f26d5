// A site owner from an empty folder to a paid page, with the CLI alone, as the README tells it: `init` with flags,
// `deploy` and `start` reading the config it wrote, a reader paying for a page, the operator dashboard (in Chromium)
// showing those payments, `withdraw` taking the money, and the dashboard's Batch withdraw taking a later payment.
// A fresh local chain with USDC's own token (6 decimals, so "0.001" is 1000 base units).
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { fetchWithPayment } from "@micro-raiden/web-client";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import { channelManagerAbi, parseDeployment } from "@micro-raiden/web-client/protocol";
import { type Browser, chromium, type Page } from "playwright";
import { createPublicClient, createWalletClient, http, type PublicClient, parseEther } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { chromiumLaunchOptions } from "../../../scripts/chromium.ts";
import { channelManagerAddress } from "../deploy/deployChannelManager.ts";
import { dashboardPaths } from "../http/operatorDashboard.ts";
import { operatorTransactionGas } from "./initCommand.ts";
import { readerChannel } from "./readerChannel.test-helper.ts";
import { runCliProcess } from "./runCliProcess.test-helper.ts";

const bin = fileURLToPath(new URL("../bin.ts", import.meta.url));

let chain: TestChain;
let publicClient: PublicClient;
let upstream: Server;
let upstreamUrl: string;
let dir: string;
let receiverProcess: ChildProcess | undefined;
let browser: Browser | undefined;
/** What the running receiver printed so far. */
let receiverOutput = "";

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

before(async () => {
  chain = await startTestChain({ tokenKind: "usdc" });
  publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
  upstream = createServer((request, response) => {
    response.writeHead(200, { "content-type": "text/plain" }).end(`the article at ${request.url}`);
  });
  await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  dir = await mkdtemp(join(tmpdir(), "site-owner-"));
});

after(async () => {
  await browser?.close();
  receiverProcess?.kill("SIGTERM");
  upstream?.closeAllConnections();
  await new Promise((resolve) => upstream?.close(resolve));
  await chain?.close();
});

describe("a site owner from an empty folder to a paid page", () => {
  let port: number;
  let receiverUrl: string;
  let client: Awaited<ReturnType<typeof readerChannel>>;

  /** The dashboard in a new Chromium page, signed in with the token `init` wrote, as the README says. */
  async function dashboardPage(): Promise<Page> {
    browser ??= await chromium.launch({ ...chromiumLaunchOptions, headless: true });
    const page = await browser.newPage();
    await page.goto(`${receiverUrl}${dashboardPaths.page}`);
    await page.getByLabel("Operator token").fill((await readFile(join(dir, "operator-token"), "utf8")).trim());
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.locator("#dashboard").waitFor();
    return page;
  }

  it("init makes the key, the operator token and the config, the price in base units of the token's decimals", async () => {
    port = await freePort();
    receiverUrl = `http://127.0.0.1:${port}`;
    const run = await runCliProcess([
      "init",
      "--dir",
      dir,
      "--rpc-url",
      chain.rpcUrl,
      "--token",
      chain.deployment.token,
      "--price",
      "0.001",
      "--upstream",
      upstreamUrl,
      "--port",
      String(port),
      "--cors-origin",
      "https://blog.example",
      "--sponsor-min-deposit",
      "1000000",
    ]);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await stat(join(dir, "receiver.key"))).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, "operator-token"))).mode & 0o777, 0o600);
    assert.ok((await readFile(join(dir, "operator-token"), "utf8")).trim().length >= 16);
    const config = JSON.parse(await readFile(join(dir, "micro-raiden.json"), "utf8"));
    assert.equal(config.price, "1000", "0.001 of a 6-decimal token");
    assert.equal(config.upstream, upstreamUrl);
    assert.deepEqual(config["cors-origin"], ["https://blog.example"]);
    assert.equal(config["sponsor-min-deposit"], "1000000");
    assert.equal(config.port, String(port));
    // A new key holds no ether: init says so, and how much the key needs.
    assert.match(run.stdout, /holds 0 ETH: send it at least [0-9.]+ ETH more/);
    assert.match(
      run.stdout,
      new RegExp(
        `not on this chain yet: \`deploy\` puts it at ${channelManagerAddress({ token: chain.deployment.token })}`,
      ),
    );
    assert.match(run.stdout, new RegExp(`<script src="${receiverUrl}/micro-raiden/paywall.js" async></script>`));

    // A second init in the same folder leaves everything as it was.
    const again = await runCliProcess([
      "init",
      "--dir",
      dir,
      "--rpc-url",
      chain.rpcUrl,
      "--token",
      chain.deployment.token,
      "--price",
      "1",
      "--upstream",
      upstreamUrl,
    ]);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists already/);
    assert.equal(JSON.parse(await readFile(join(dir, "micro-raiden.json"), "utf8")).price, "1000");
  });

  it("init refuses a price finer than the token's decimals", async () => {
    const other = await mkdtemp(join(tmpdir(), "site-owner-"));
    const run = await runCliProcess([
      "init",
      "--dir",
      other,
      "--rpc-url",
      chain.rpcUrl,
      "--token",
      chain.deployment.token,
      "--price",
      "0.0000001",
      "--upstream",
      upstreamUrl,
    ]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /at most 6 decimals/);
  });

  it("deploy, run in the folder, reads the config and puts the manager at its deterministic address", async () => {
    // The site owner funds the new key, as init asked.
    const receiver = privateKeyToAccount(await readPrivateKeyFile(join(dir, "receiver.key")));
    const [funder] = chain.accounts;
    assert.ok(funder);
    const wallet = createWalletClient({ account: funder, transport: http(chain.rpcUrl) });
    await publicClient.waitForTransactionReceipt({
      hash: await wallet.sendTransaction({ chain: null, to: receiver.address, value: parseEther("1") }),
    });
    const run = await runCliProcess(["deploy"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /gas used \d+/);
    const deployment = parseDeployment(JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")));
    assert.equal(deployment.channelManager, channelManagerAddress({ token: chain.deployment.token }));
    assert.notEqual(deployment.channelManager, chain.deployment.channelManager);
  });

  it("start, run in the folder, serves the upstream's pages for the price, paid by a reader's channel", async () => {
    receiverProcess = spawn(process.execPath, [bin, "start"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
    await new Promise<void>((resolve, reject) => {
      receiverProcess?.stdout?.on("data", (chunk: Buffer) => {
        receiverOutput += chunk.toString();
        if (receiverOutput.includes("listening on")) resolve();
      });
      receiverProcess?.stderr?.on("data", (chunk: Buffer) => {
        receiverOutput += chunk.toString();
      });
      receiverProcess?.on("exit", (code) => reject(new Error(`start exited with ${code}: ${receiverOutput}`)));
    });
    assert.match(receiverOutput, new RegExp(`listening on ${receiverUrl}`));

    const unpaid = await fetch(`${receiverUrl}/proxy/posts/1`);
    assert.equal(unpaid.status, 402);

    client = await readerChannel(chain, dir, 100_000n);
    for (const path of ["/proxy/posts/1", "/proxy/posts/2"]) {
      const paid = await fetchWithPayment(client, { input: `${receiverUrl}${path}` });
      assert.equal(paid.status, 200);
      assert.equal(await paid.text(), `the article at ${path.replace("/proxy", "")}`);
    }
  });

  it("the dashboard shows those payments, in USDC, by page", async () => {
    const page = await dashboardPage();
    try {
      assert.equal(await page.locator("#earned").textContent(), "0.002 USDC");
      assert.equal(await page.locator("#withdrawable").textContent(), "0.002 USDC");
      assert.deepEqual(await page.locator("#resources tr").allInnerTexts(), [
        "/proxy/posts/1\t0.001 USDC\t1",
        "/proxy/posts/2\t0.001 USDC\t1",
      ]);
      assert.ok(
        (await page.locator("#chart rect.bar title").allTextContents()).some((title) => title.endsWith(": 0.002 USDC")),
      );
    } finally {
      await page.close();
    }
  });

  it("withdraw, run in the folder, takes the payments on chain and says what it sent", async () => {
    const run = await runCliProcess(["withdraw"], { cwd: dir });
    assert.equal(run.code, 0, run.stderr);
    const [result] = JSON.parse(run.stdout);
    assert.equal(result.balance, "2000");
    assert.match(run.stderr, /1 transaction\(s\) mined/);
    // The receiver reported the transaction as it sent it and as it was mined.
    assert.match(
      receiverOutput,
      new RegExp(`withdraw from 1 channel\\(s\\): transaction ${result.transaction_hash} sent`),
    );
    assert.match(
      receiverOutput,
      new RegExp(`transaction ${result.transaction_hash} mined in block \\d+, gas used \\d+`),
    );
    const deployment = parseDeployment(JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")));
    const receipt = await publicClient.getTransactionReceipt({ hash: result.transaction_hash });
    assert.equal(receipt.to?.toLowerCase(), deployment.channelManager.toLowerCase());
    // What init reserves ether for covers a real operator transaction on USDC.
    assert.ok(receipt.gasUsed <= operatorTransactionGas, `withdraw used ${receipt.gasUsed} gas`);
    const reader = chain.accounts[5];
    assert.ok(reader);
    const [, , withdrawn] = await publicClient.readContract({
      address: deployment.channelManager,
      abi: channelManagerAbi,
      functionName: "getChannelInfo",
      args: [
        reader.address,
        privateKeyToAccount(await readPrivateKeyFile(join(dir, "receiver.key"))).address,
        BigInt(result.open_block),
      ],
    });
    assert.equal(withdrawn, 2000n);
  });

  it("the dashboard's Batch withdraw takes a later payment on chain", async () => {
    const paid = await fetchWithPayment(client, { input: `${receiverUrl}/proxy/posts/3` });
    assert.equal(paid.status, 200);
    const page = await dashboardPage();
    try {
      assert.equal(await page.locator("#withdrawable").textContent(), "0.001 USDC");
      await page.getByRole("button", { name: "Batch withdraw" }).click();
      await page.getByRole("status").filter({ hasText: "done, 1 of 1" }).waitFor({ timeout: 60_000 });
      const hash = /Transaction (0x[0-9a-f]{64}) mined/.exec(
        (await page.locator("#action-log").textContent()) ?? "",
      )?.[1];
      assert.ok(hash);
      const receipt = await publicClient.getTransactionReceipt({ hash: `0x${hash.slice(2)}` });
      assert.equal(receipt.status, "success");
      const deployment = parseDeployment(JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")));
      assert.equal(receipt.to?.toLowerCase(), deployment.channelManager.toLowerCase());
      const reader = chain.accounts[5];
      assert.ok(reader);
      const receiver = privateKeyToAccount(await readPrivateKeyFile(join(dir, "receiver.key"))).address;
      const channels = await page.evaluate(() => document.querySelector("#channels")?.textContent ?? "");
      assert.match(channels, /0\.003 USDC/);
      const openBlock = BigInt((await page.locator("#channels tr td").nth(1).textContent()) ?? "");
      const [, , withdrawn] = await publicClient.readContract({
        address: deployment.channelManager,
        abi: channelManagerAbi,
        functionName: "getChannelInfo",
        args: [reader.address, receiver, openBlock],
      });
      assert.equal(withdrawn, 3000n);
    } finally {
      await page.close();
    }
  });
});
