// detectDepositMethod against the real chain: "approve" only when the token's own code says it has neither permit
// nor ERC-1363. A request that failed on the way (a rate limit, a dropped connection, a timeout) says nothing about
// the token: taking it for "approve" cost a reader with a permit token two prompts and the sponsored open, for as
// long as the page cached the answer.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import {
  type Address,
  BaseError,
  type Hex,
  HttpRequestError,
  http,
  isHex,
  RpcRequestError,
  TimeoutError,
  toFunctionSelector,
} from "viem";
import { deployContract, waitForTransactionReceipt } from "viem/actions";
import { type ChannelClient, createChannelClient } from "../client/createChannelClient.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { detectDepositMethod } from "./detectDepositMethod.ts";

/** The test-only BlocklistToken (a plain ERC-20: no permit, no ERC-165, no ERC-1363) from the contracts' build. */
async function blocklistTokenBytecode(): Promise<Hex> {
  const testing = import.meta.resolve("@micro-raiden/contracts/testing");
  const artifact: unknown = JSON.parse(
    await readFile(new URL("../artifacts/contracts/test/BlocklistToken.sol/BlocklistToken.json", testing), "utf8"),
  );
  const bytecode = typeof artifact === "object" && artifact !== null ? Reflect.get(artifact, "bytecode") : undefined;
  assert.ok(isHex(bytecode), "no BlocklistToken artifact: run `npm run build -w contracts`");
  return bytecode;
}

/** The transport's own failure, whatever viem wrapped it in. */
const causedBy = (error: unknown, type: new (...args: never[]) => BaseError) =>
  error instanceof BaseError && error.walk((cause) => cause instanceof type) !== null;

type Failure = "rate limit" | "dropped connection" | "timeout" | "node's internal error";

/**
 * A real HTTP front for the chain that fails the first `eth_call` to `selector` once, the way a public RPC or a
 * flaky network does, and forwards everything else.
 */
async function flakyRpc(chainUrl: string) {
  let armed: { selector: Hex; failure: Failure } | undefined;
  const body = async (request: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString();
  };
  const server = createServer(async (request, response) => {
    try {
      const text = await body(request);
      const calls = [JSON.parse(text)].flat() as { method: string; params?: [{ data?: string }] }[];
      const target = armed;
      const hit = (selector: Hex) =>
        calls.some((call) => call.method === "eth_call" && call.params?.[0].data?.startsWith(selector));
      const failure = target && hit(target.selector) ? target.failure : undefined;
      if (failure) armed = undefined;
      if (failure === "rate limit") {
        response.writeHead(429, { "content-type": "text/plain" }).end("Too Many Requests");
      } else if (failure === "node's internal error") {
        // viem reads a -32603 with a message as a revert (ContractFunctionRevertedError), but no code ran.
        const id = (calls[0] as { id?: unknown }).id;
        const error = { code: -32603, message: "Internal error: upstream unavailable" };
        response
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ jsonrpc: "2.0", id, error }));
      } else if (failure === "dropped connection") {
        request.socket.destroy();
      } else if (failure === "timeout") {
        // No answer before the client gives up (its timeout is shorter).
        setTimeout(() => request.socket.destroy(), 2_000).unref();
      } else {
        const answer = await fetch(chainUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: text,
        });
        response.writeHead(answer.status, { "content-type": "application/json" }).end(await answer.text());
      }
    } catch {
      request.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failOnce(selector: Hex, failure: Failure) {
      armed = { selector, failure };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

describe("detectDepositMethod on a real chain", () => {
  let chain: TestChain;
  let rpc: Awaited<ReturnType<typeof flakyRpc>>;
  let client: ChannelClient;
  let plainToken: Address;

  before(async () => {
    chain = await startTestChain();
    rpc = await flakyRpc(chain.rpcUrl);
    const [deployer, reader] = chain.accounts;
    assert.ok(deployer && reader);
    const deployerClient = createChannelClient({
      account: deployer,
      transport: http(chain.rpcUrl),
      storage: memoryStorage(),
    });
    const hash = await deployContract(deployerClient.walletClient, {
      abi: [],
      bytecode: await blocklistTokenBytecode(),
      account: deployer,
      chain: null,
    });
    const { contractAddress } = await waitForTransactionReceipt(deployerClient.publicClient, { hash });
    assert.ok(contractAddress);
    plainToken = contractAddress;
    client = createChannelClient({
      account: reader,
      // No retries: the one failed request reaches detectDepositMethod, as a failure that outlasts viem's retries
      // (or one viem does not retry) does.
      transport: http(rpc.url, { retryCount: 0, timeout: 500 }),
      storage: memoryStorage(),
    });
  });
  after(async () => {
    await rpc?.close();
    await chain?.close();
  });

  it("picks permit for the demo token (EIP-2612)", async () => {
    assert.equal(await detectDepositMethod(client, { token: chain.deployment.token }), "permit");
  });

  it("picks approve for a token whose code has neither permit nor ERC-1363 (its calls revert)", async () => {
    assert.equal(await detectDepositMethod(client, { token: plainToken }), "approve");
  });

  const transient = {
    "rate limit": HttpRequestError,
    "dropped connection": HttpRequestError,
    timeout: TimeoutError,
    "node's internal error": RpcRequestError,
  };
  for (const [failure, errorType] of Object.entries(transient) as [Failure, new (...args: never[]) => BaseError][]) {
    it(`a ${failure} while probing permit is no answer: it rejects, and asked again it picks permit`, async () => {
      rpc.failOnce(toFunctionSelector("function nonces(address)"), failure);
      const answer = await detectDepositMethod(client, { token: chain.deployment.token }).catch((error) => error);
      assert.ok(causedBy(answer, errorType), `answered ${String(answer)}`);
      assert.equal(await detectDepositMethod(client, { token: chain.deployment.token }), "permit");
    });
  }

  it("a failed ERC-1363 probe is no answer either: it rejects instead of settling on approve", async () => {
    rpc.failOnce(toFunctionSelector("function supportsInterface(bytes4)"), "rate limit");
    const answer = await detectDepositMethod(client, { token: plainToken }).catch((error) => error);
    assert.ok(causedBy(answer, HttpRequestError), `answered ${String(answer)}`);
    assert.equal(await detectDepositMethod(client, { token: plainToken }), "approve");
  });
});
