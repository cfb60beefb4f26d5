// The receiver README's table of channel manager addresses is this build's: every row's manager is the CREATE2
// address `deploy` computes for its token, and the local rows' tokens are where a fresh test chain puts them.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { describe, it } from "node:test";
import { getAddress } from "viem";
import { channelManagerAddress } from "./deployChannelManager.ts";

const readme = await readFile(new URL("../../README.md", import.meta.url), "utf8");
const rows = [...readme.matchAll(/^\| (.+?) \| `(0x[0-9a-fA-F]{40})` \| `(0x[0-9a-fA-F]{40})` \|$/gm)].map(
  ([, name, token, manager]) => ({ name: name ?? "", token: getAddress(token ?? ""), manager: manager ?? "" }),
);

describe("the README's channel manager addresses", () => {
  it("lists the address deploy computes for each token (regenerate with `micro-raiden-server address --token`)", () => {
    assert.ok(rows.length >= 6, `found ${rows.length} rows`);
    for (const { name, token, manager } of rows) {
      assert.equal(manager, channelManagerAddress({ token }), `${name}: micro-raiden-server address --token ${token}`);
    }
  });

  it("names the local tokens where a fresh test chain deploys them", async () => {
    const { startTestChain } = await import("@micro-raiden/contracts/testing");
    for (const [kind, row] of [
      ["demo", "the demo token"],
      ["usdc", "USDC"],
    ] as const) {
      const chain = await startTestChain({ tokenKind: kind });
      try {
        const listed = rows.find(({ name }) => name.startsWith("local chain") && name.includes(row));
        assert.equal(listed?.token, chain.deployment.token, `${row} on a fresh local chain`);
      } finally {
        await chain.close();
      }
    }
  });
});
