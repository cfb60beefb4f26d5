// The token's symbol and decimals, read from a real chain: the demo token, a contract without them, and a dead RPC.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestChain, type TestChain } from "@micro-raiden/contracts/testing";
import { createPublicClient, http } from "viem";
import { readTokenInfo } from "./readTokenInfo.ts";

let chain: TestChain;
before(async () => {
  chain = await startTestChain();
});
after(async () => {
  await chain?.close();
});

describe("readTokenInfo", () => {
  it("reads the demo token's symbol and decimals", async () => {
    const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    assert.deepEqual(await readTokenInfo(publicClient, chain.deployment.token), {
      address: chain.deployment.token,
      symbol: "TKN",
      decimals: 18,
    });
  });

  it("shows a contract without symbol() and decimals() as whole tokens", async () => {
    // The channel manager has neither function: both calls revert.
    const publicClient = createPublicClient({ transport: http(chain.rpcUrl) });
    const info = await readTokenInfo(publicClient, chain.deployment.channelManager);
    assert.deepEqual(info, { address: chain.deployment.channelManager, symbol: "tokens", decimals: 0 });
  });

  it("throws when the chain cannot be reached, rather than guessing", async () => {
    const publicClient = createPublicClient({ transport: http("http://127.0.0.1:9", { retryCount: 0 }) });
    await assert.rejects(readTokenInfo(publicClient, chain.deployment.token));
  });
});
