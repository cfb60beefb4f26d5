// The genuine-manager check against a real chain (startTestChain): the real deployment passes; the token contract,
// our code with one byte changed, our code with an out-of-bounds challenge period, our code copied to another
// address and an account are refused, and nothing is deposited into them (also not by fetchWithPayment on a
// hostile 402); the allow-list and the cache.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  type Address,
  bytesToHex,
  createPublicClient,
  encodeAbiParameters,
  getAddress,
  type Hex,
  hexToBytes,
  http,
  parseEther,
  type Transport,
} from "viem";
import type { HDAccount } from "viem/accounts";
import { type ChannelClient, createChannelClient } from "../client/createChannelClient.ts";
import { UntrustedChannelManagerError } from "../errors/UntrustedChannelManagerError.ts";
import { memoryLock } from "../locks/memoryLock.ts";
import { channelManagerRuntimeCode, demoTokenAbi, encodePaymentResponseHeaders } from "../protocol/index.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { fetchWithPayment } from "./fetchWithPayment.ts";
import { openChannel } from "./openChannel.ts";
import { topUp } from "./topUp.ts";
import { verifyChannelManager } from "./verifyChannelManager.ts";

describe("verifyChannelManager against a real chain", () => {
  let chain: TestChain;
  let sender: HDAccount;
  let receiver: Address;
  let genuineCode: Hex;
  /** The JSON-RPC methods each client sent, in order. */
  const calls = new Map<ChannelClient, string[]>();
  const patchedAddress: Address = "0x00000000000000000000000000000000000c0de1";
  const shortPeriodAddress: Address = "0x00000000000000000000000000000000000c0de2";
  const copyAddress: Address = "0x00000000000000000000000000000000000c0de3";

  /** A client whose every RPC request is recorded in `calls`. */
  function newClient(trustedManagers?: readonly Address[], fetch?: typeof globalThis.fetch): ChannelClient {
    const methods: string[] = [];
    const base = http(chain.rpcUrl);
    const recording: Transport = (options) => {
      const transport = base(options);
      return {
        ...transport,
        request: (args, options) => {
          methods.push(args.method);
          return transport.request(args, options);
        },
      };
    };
    const client = createChannelClient({
      account: sender,
      transport: recording,
      storage: memoryStorage(),
      lock: memoryLock(),
      trustedManagers,
      fetch,
    });
    calls.set(client, methods);
    return client;
  }
  const sent = (client: ChannelClient) =>
    (calls.get(client) ?? []).filter(
      (method) => method === "eth_sendRawTransaction" || method === "eth_sendTransaction",
    );
  const codeReads = (client: ChannelClient) => (calls.get(client) ?? []).filter((method) => method === "eth_getCode");

  function tokenBalance(owner: Address) {
    return createPublicClient({ transport: http(chain.rpcUrl) }).readContract({
      address: chain.deployment.token,
      abi: demoTokenAbi,
      functionName: "balanceOf",
      args: [owner],
    });
  }

  function isUntrusted(reason: RegExp) {
    return (error: unknown) => {
      assert.ok(error instanceof UntrustedChannelManagerError, String(error));
      assert.match(error.reason, reason);
      return true;
    };
  }

  before(async () => {
    chain = await startTestChain();
    const [, first, second] = chain.accounts;
    assert.ok(first && second);
    sender = first;
    receiver = second.address;
    await chain.mint(sender.address, parseEther("100"));
    genuineCode =
      (await createPublicClient({ transport: http(chain.rpcUrl) }).getCode({
        address: chain.deployment.channelManager,
      })) ?? assert.fail("no code at the deployment");

    // Our code with one byte changed outside the immutables: what a patched copy that keeps deposits looks like.
    const patched = hexToBytes(genuineCode);
    const masked = new Set(
      Object.values(channelManagerRuntimeCode.immutables).flatMap(({ offsets }) =>
        offsets.flatMap((offset) => Array.from({ length: 32 }, (_, i) => offset + i)),
      ),
    );
    let at = Math.floor(patched.length / 2);
    while (masked.has(at)) at++;
    patched[at] = (patched[at] ?? 0) ^ 0xff;
    await chain.testClient.setCode({ address: patchedAddress, bytecode: bytesToHex(patched) });

    // Our code with a 10-block challenge period, which the constructor refuses to deploy: only crafted code has it.
    const shortPeriod = hexToBytes(genuineCode);
    const period = hexToBytes(encodeAbiParameters([{ type: "uint64" }], [10n]));
    for (const offset of channelManagerRuntimeCode.immutables.challengePeriod.offsets) shortPeriod.set(period, offset);
    await chain.testClient.setCode({ address: shortPeriodAddress, bytecode: bytesToHex(shortPeriod) });

    // The genuine code, byte for byte, at an address its constructor never ran for.
    await chain.testClient.setCode({ address: copyAddress, bytecode: genuineCode });
  });

  after(async () => {
    await chain?.close();
  });

  it("passes the real deployment and reads its token and challenge period from the code", async () => {
    const client = newClient();
    assert.deepEqual(
      await verifyChannelManager(client, { address: chain.deployment.channelManager, token: chain.deployment.token }),
      {
        address: chain.deployment.channelManager,
        chainId: chain.deployment.chainId,
        trustedBy: "code",
        token: chain.deployment.token,
        challengePeriod: BigInt(chain.deployment.challengePeriod),
      },
    );
  });

  for (const [name, address, reason] of [
    ["another contract (the token)", () => chain.deployment.token, /code is not ChannelManager's/],
    ["our code with one byte changed", () => patchedAddress, /code is not ChannelManager's/],
    ["our code with a challenge period out of bounds", () => shortPeriodAddress, /challenge period of 10 blocks/],
    ["our code copied to another address", () => copyAddress, /not deployed at this address/],
    ["an account", () => receiver, /no code/],
  ] as const) {
    it(`refuses ${name}, and openChannel deposits nothing into it`, async () => {
      const client = newClient();
      await assert.rejects(verifyChannelManager(client, { address: address() }), isUntrusted(reason));
      const before = await tokenBalance(sender.address);
      await assert.rejects(
        openChannel(client, {
          chainId: chain.deployment.chainId,
          contract: address(),
          token: chain.deployment.token,
          receiver,
          deposit: parseEther("1"),
        }),
        isUntrusted(reason),
      );
      assert.deepEqual(sent(client), [], "no approval, no transaction");
      assert.equal(await tokenBalance(sender.address), before);
      // A refusal is not cached: the next attempt looks again.
      assert.equal(codeReads(client).length, 2);
    });
  }

  it("refuses the real deployment for another token than the one the 402 names", async () => {
    const client = newClient();
    await assert.rejects(
      verifyChannelManager(client, { address: chain.deployment.channelManager, token: receiver }),
      isUntrusted(/holds deposits in 0x/),
    );
  });

  it("error message names the address, the chain and the reason", async () => {
    await assert.rejects(verifyChannelManager(newClient(), { address: receiver }), {
      name: "UntrustedChannelManagerError",
      shortMessage: `${receiver} on chain ${chain.deployment.chainId} is not a genuine channel manager: it has no code (an account, or nothing deployed there).`,
    });
  });

  it("passes a manager in the app's allow-list without reading its code", async () => {
    // Listed checksummed, asked for in lowercase: the same address.
    const client = newClient([getAddress(patchedAddress)]);
    const trusted = await verifyChannelManager(client, { address: patchedAddress });
    assert.equal(trusted.trustedBy, "allow-list");
    assert.deepEqual(codeReads(client), []);
    // Only the listed address: others are still checked.
    await assert.rejects(verifyChannelManager(client, { address: copyAddress }), UntrustedChannelManagerError);
  });

  it("reads the code once for two opens and a top-up on the same manager", async () => {
    const client = newClient();
    const parameters = {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      receiver,
      deposit: parseEther("1"),
    };
    const first = await openChannel(client, parameters);
    await openChannel(client, parameters);
    const toppedUp = await topUp(client, { channel: first, amount: parseEther("1") });
    assert.equal(toppedUp.deposit, parseEther("2"));
    assert.equal(codeReads(client).length, 1);
    // Another client has its own cache (another app on the page may trust other managers).
    const other = newClient();
    await verifyChannelManager(other, { address: chain.deployment.channelManager });
    assert.equal(codeReads(other).length, 1);
  });

  it("topUp refuses a stored channel whose manager is not genuine, before sending anything", async () => {
    const client = newClient();
    const channel = await openChannel(client, {
      chainId: chain.deployment.chainId,
      contract: chain.deployment.channelManager,
      token: chain.deployment.token,
      receiver,
      deposit: parseEther("1"),
    });
    const sentBefore = sent(client).length;
    await assert.rejects(
      topUp(client, { channel: { ...channel, contract: patchedAddress }, amount: parseEther("1") }),
      isUntrusted(/code is not ChannelManager's/),
    );
    assert.equal(sent(client).length, sentBefore);
  });

  it("fetchWithPayment refuses to open a channel into the contract a hostile 402 names", async () => {
    // A site whose 402 names our code patched to keep deposits, with the real token and a plausible price.
    const hostile: typeof globalThis.fetch = async () =>
      new Response(null, {
        status: 402,
        headers: encodePaymentResponseHeaders({
          requirements: {
            gatewayPath: "/api/1",
            receiver,
            contract: patchedAddress,
            token: chain.deployment.token,
            chainId: chain.deployment.chainId,
            price: 1000n,
          },
        }),
      });
    const client = newClient(undefined, hostile);
    const before = await tokenBalance(sender.address);
    await assert.rejects(
      fetchWithPayment(client, { input: "http://hostile.test/article", deposit: () => parseEther("5") }),
      isUntrusted(/code is not ChannelManager's/),
    );
    assert.deepEqual(sent(client), []);
    assert.equal(await tokenBalance(sender.address), before);
  });
});
