// The generated description of ChannelManager's runtime code (web-client/src/protocol/channelManagerRuntimeCode.ts)
// against real deployments: a client that follows it recognises ours, whatever the token, challenge period,
// address or chain, and refuses an impostor, a patched copy and an account without code.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { channelManagerRuntimeCode } from "@micro-raiden/web-client/protocol";
import {
  type Address,
  bytesToHex,
  decodeAbiParameters,
  domainSeparator,
  getAddress,
  type Hex,
  hexToBytes,
  keccak256,
} from "viem";
import { deployFixture } from "./fixture.ts";

/** What the description lets a client conclude from `eth_getCode`: our code or not, and the masked values. */
function inspect(code: Hex | undefined) {
  if (!code) return { genuine: false, values: {} };
  const bytes = hexToBytes(code);
  if (bytes.length !== channelManagerRuntimeCode.byteLength) return { genuine: false, values: {} };
  const values: Record<string, unknown> = {};
  for (const [name, { type, offsets }] of Object.entries(channelManagerRuntimeCode.immutables)) {
    const words = offsets.map((offset) => bytesToHex(bytes.slice(offset, offset + 32)));
    if (new Set(words).size !== 1 || !words[0]) return { genuine: false, values: {} };
    [values[name]] = decodeAbiParameters([{ type }], words[0]);
    for (const offset of offsets) bytes.fill(0, offset, offset + 32);
  }
  return { genuine: keccak256(bytes) === channelManagerRuntimeCode.maskedCodeHash, values };
}

describe("the generated runtime-code description", async () => {
  const f = await deployFixture();
  const testClient = await f.viem.getTestClient();
  const codeAt = (address: Address) => f.publicClient.getCode({ address });
  const expectedValues = (manager: Address, token: Address, challengePeriod: bigint) => ({
    token: getAddress(token),
    challengePeriod,
    cachedDomainSeparator: domainSeparator({
      domain: { name: "MicroRaiden", version: "1", chainId: f.chainId, verifyingContract: manager },
    }),
    cachedChainId: BigInt(f.chainId),
    cachedThis: getAddress(manager),
  });

  it("matches real deployments, whatever their token and challenge period, and reads their values", async () => {
    assert.deepEqual(inspect(await codeAt(f.manager.address)), {
      genuine: true,
      values: expectedValues(f.manager.address, f.token.address, 500n),
    });
    const { min, max } = channelManagerRuntimeCode.challengePeriod;
    const otherToken = getAddress(f.sender2.account.address);
    for (const period of [BigInt(min), BigInt(max)]) {
      const manager = await f.viem.deployContract("ChannelManager", [otherToken, period]);
      assert.deepEqual(inspect(await codeAt(manager.address)), {
        genuine: true,
        values: expectedValues(manager.address, otherToken, period),
      });
    }
  });

  it("publishes the bounds the contract enforces", async () => {
    assert.deepEqual(channelManagerRuntimeCode.challengePeriod, {
      min: Number(await f.manager.read.MIN_CHALLENGE_PERIOD()),
      max: Number(await f.manager.read.MAX_CHALLENGE_PERIOD()),
    });
  });

  it("does not match an impostor built on our code with one function more", async () => {
    const impostor = await f.viem.deployContract("SweepingChannelManager", [f.token.address, 500n]);
    assert.equal(inspect(await codeAt(impostor.address)).genuine, false);
  });

  it("does not match our code with one byte changed outside the immutables", async () => {
    const code = hexToBytes((await codeAt(f.manager.address)) ?? "0x");
    const masked = new Set(
      Object.values(channelManagerRuntimeCode.immutables).flatMap(({ offsets }) =>
        offsets.flatMap((offset) => Array.from({ length: 32 }, (_, i) => offset + i)),
      ),
    );
    // Patch a byte in the middle of the code that no immutable covers.
    let at = Math.floor(code.length / 2);
    while (masked.has(at)) at++;
    code[at] = (code[at] ?? 0) ^ 0xff;
    const patched: Address = "0x00000000000000000000000000000000000c0de1";
    await testClient.setCode({ address: patched, bytecode: bytesToHex(code) });
    assert.equal(inspect(await codeAt(patched)).genuine, false);
  });

  it("exposes a changed immutable: the code still matches, the values tell", async () => {
    const code = hexToBytes((await codeAt(f.manager.address)) ?? "0x");
    // The same code at another address: its cached address and domain separator are not this address's.
    const copy: Address = "0x00000000000000000000000000000000000c0de2";
    await testClient.setCode({ address: copy, bytecode: bytesToHex(code) });
    const { genuine, values } = inspect(await codeAt(copy));
    assert.equal(genuine, true);
    assert.notEqual(values.cachedThis, getAddress(copy));
    assert.notDeepEqual(values, expectedValues(copy, f.token.address, 500n));
  });

  it("does not match an account without code", async () => {
    assert.equal(inspect(await codeAt(f.sender.account.address)).genuine, false);
  });
});
