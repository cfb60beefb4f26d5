// The deploy script's USDC option (--token-kind usdc) against a real JSON-RPC endpoint, run as the CLI: Circle's
// FiatToken V2.2 behind its proxy, with the deployer as its minter, and the manager on it.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { channelManagerAbi, parseDeployment } from "@micro-raiden/web-client/protocol";
import { network } from "hardhat";
import { createPublicClient, createWalletClient, getAddress, http, parseAbi, toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { deployWithDetails, HARDHAT_MNEMONIC, LOCAL_PROXY_ADMIN_INDEX, type TokenKind } from "../scripts/deploy.ts";
import { fiatTokenProxyAbi } from "../scripts/fiatToken.ts";

const run = promisify(execFile);
const script = fileURLToPath(new URL("../scripts/deploy.ts", import.meta.url));
const usdcAbi = parseAbi([
  "function name() view returns (string)",
  "function symbol() view returns (string)",
  "function decimals() view returns (uint8)",
  "function version() view returns (string)",
  "function owner() view returns (address)",
  "function pauser() view returns (address)",
  "function blacklister() view returns (address)",
  "function isMinter(address) view returns (bool)",
  "function balanceOf(address) view returns (uint256)",
  "function mint(address to, uint256 amount) returns (bool)",
]);

describe("deploy script, USDC", async () => {
  const server = await network.createServer("default", "127.0.0.1", 0);
  let rpcUrl = "";
  let dir = "";
  before(async () => {
    const { address, port } = await server.listen();
    rpcUrl = `http://${address}:${port}`;
    dir = await mkdtemp(join(tmpdir(), "deploy-usdc-test-"));
  });
  after(() => server.close());

  const deployer = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 8 });
  const keyHex = toHex(deployer.getHdKey().privateKey ?? new Uint8Array());

  it("--token-kind usdc deploys Circle's FiatToken V2.2 behind its proxy, the deployer its minter, and the manager on it", async () => {
    const keyFile = join(dir, "key");
    await writeFile(keyFile, `${keyHex}\n`, { mode: 0o600 });
    const out = join(dir, "usdc.json");
    const { stdout } = await run(process.execPath, [
      script,
      "--rpc-url",
      rpcUrl,
      "--private-key-file",
      keyFile,
      "--token-kind",
      "usdc",
      "--out",
      out,
    ]);
    assert.ok(!stdout.includes(keyHex.slice(2)), "the key must never be printed");
    assert.match(stdout, /USDC \(Circle's FiatToken V2\.2\) at 0x[0-9a-fA-F]{40}: implementation/);
    const deployment = parseDeployment(JSON.parse(await readFile(out, "utf8")));
    const client = createPublicClient({ transport: http(rpcUrl) });
    const token = deployment.token;
    assert.equal(
      await client.readContract({ address: deployment.channelManager, abi: channelManagerAbi, functionName: "token" }),
      token,
    );
    const read = <F extends "name" | "symbol" | "decimals" | "version" | "owner" | "pauser" | "blacklister">(
      functionName: F,
    ) => client.readContract({ address: token, abi: usdcAbi, functionName });
    assert.deepEqual(
      [await read("name"), await read("symbol"), await read("decimals"), await read("version")],
      ["USD Coin", "USDC", 6, "2"],
    );
    for (const role of ["owner", "pauser", "blacklister"] as const) {
      assert.equal(getAddress(await read(role)), deployer.address, role);
    }
    const proxyAdmin = await client.readContract({ address: token, abi: fiatTokenProxyAbi, functionName: "admin" });
    assert.equal(
      getAddress(proxyAdmin),
      mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: LOCAL_PROXY_ADMIN_INDEX }).address,
      "on a local chain the proxy admin defaults to development account 19",
    );
    // The deployer mints as it would the demo token (mint(address,uint256), the same selector).
    assert.equal(
      await client.readContract({ address: token, abi: usdcAbi, functionName: "isMinter", args: [deployer.address] }),
      true,
    );
    const wallet = createWalletClient({ account: deployer, transport: http(rpcUrl) });
    const reader = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 3 }).address;
    const hash = await wallet.writeContract({
      chain: null,
      address: token,
      abi: usdcAbi,
      functionName: "mint",
      args: [reader, 25_000_000n],
    });
    assert.equal((await client.waitForTransactionReceipt({ hash })).status, "success");
    assert.equal(
      await client.readContract({ address: token, abi: usdcAbi, functionName: "balanceOf", args: [reader] }),
      25_000_000n,
    );
  });

  it("takes the proxy admin it is given (deployWithDetails, as the demo calls it)", async () => {
    const admin = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 18 }).address;
    const { deployment, usdc } = await deployWithDetails({ rpcUrl, tokenKind: "usdc", tokenProxyAdmin: admin });
    assert.ok(usdc);
    assert.equal(usdc.token, deployment.token);
    assert.equal(usdc.proxyAdmin, admin);
    const client = createPublicClient({ transport: http(rpcUrl) });
    assert.equal(
      getAddress(await client.readContract({ address: usdc.token, abi: fiatTokenProxyAbi, functionName: "admin" })),
      admin,
    );
    // Without a kind, the demo token stays the default.
    const demo = await deployWithDetails({ rpcUrl });
    assert.equal(demo.usdc, undefined);
    assert.equal(
      await client.readContract({ address: demo.deployment.token, abi: usdcAbi, functionName: "name" }),
      "Demo Token",
    );
  });

  it("refuses an unknown token kind, a kind beside an existing token, and a proxy admin that is the deployer", async () => {
    const deployerAddress = mnemonicToAccount(HARDHAT_MNEMONIC).address;
    for (const [parameters, message] of [
      [{ tokenKind: "usdt" as TokenKind }, /The token kind must be one of demo, usdc, not usdt/],
      [{ tokenKind: "usdc", token: deployerAddress }, /Give either an existing token or the kind/],
      [{ tokenProxyAdmin: deployerAddress }, /A token proxy admin is only for a USDC token/],
      [{ tokenKind: "usdc", tokenProxyAdmin: deployerAddress }, /proxy admin must not be the deployer/],
    ] as const) {
      await assert.rejects(deployWithDetails({ rpcUrl, ...parameters }), message);
    }
    await assert.rejects(
      run(process.execPath, [script, "--rpc-url", rpcUrl, "--token-kind", "usdc", "--token-proxy-admin", "0x1234"]),
      (error) => {
        assert.ok(error instanceof Error && "stderr" in error && typeof error.stderr === "string");
        assert.match(error.stderr, /--token-proxy-admin must be an address/);
        return true;
      },
    );
  });
});
