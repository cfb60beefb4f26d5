// The behaviour every ChannelStorage must have, run by each storage's own test file against that storage.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Address } from "viem";
import type { ChannelStorage, StoredChannel } from "./ChannelStorage.ts";
import { InvalidStoredChannelError } from "./InvalidStoredChannelError.ts";

/** Hardhat's well-known accounts and deployment addresses: valid checksummed addresses with no meaning here. */
export const addresses = {
  contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  sender: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  receiver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  otherReceiver: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
  delegatedSigner: "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
} as const;

/** Hardhat account 3's private key, whose address is `addresses.delegatedSigner`. */
export const sessionKey = "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6";

/** A real signature (low s, v = 28), by account 1 over a fixed message. */
export const signature =
  "0xf0111d6f73675e577327b4d006b629a1f6358310f2c704c74813f7b3516ed2fe28b3237a241887e1139f2bc159aafbc9627879e3c1a7a625c1175516da61d62b1c";

/** A channel with every optional field absent. */
export const bareChannel: StoredChannel = {
  chainId: 31337,
  contract: addresses.contract,
  token: addresses.token,
  sender: addresses.sender,
  receiver: addresses.receiver,
  openBlock: 12n,
  deposit: 10_000n,
  balance: 0n,
  balanceSignature: undefined,
  delegatedSigner: undefined,
  sessionKey: undefined,
  state: "open",
  settleBlock: undefined,
};

/** A channel with every field set, its numbers beyond what a JavaScript number holds exactly. */
export const fullChannel: StoredChannel = {
  chainId: 2 ** 53 - 1,
  contract: addresses.contract,
  token: addresses.token,
  sender: addresses.sender,
  receiver: addresses.otherReceiver,
  openBlock: 2n ** 64n - 1n,
  deposit: 2n ** 256n - 1n,
  balance: 2n ** 53n + 1n,
  balanceSignature: signature,
  delegatedSigner: addresses.delegatedSigner,
  sessionKey,
  state: "closing",
  settleBlock: 2n ** 60n + 3n,
};

/** The address without its checksum, as a caller might pass it. */
export const lowercase = (address: Address): Address => `0x${address.slice(2).toLowerCase()}`;

const byKey = (a: StoredChannel, b: StoredChannel) =>
  a.receiver.localeCompare(b.receiver) || a.chainId - b.chainId || Number(a.openBlock - b.openBlock);

/**
 * Registers the shared ChannelStorage suite. `create` is called once per test and must return an empty storage.
 *
 * @example
 * import { memoryStorage } from "@micro-raiden/web-client";
 * import { storageContract } from "./storageContract.test-helper.ts";
 * storageContract("memoryStorage", memoryStorage);
 */
export function storageContract(name: string, create: () => ChannelStorage | Promise<ChannelStorage>): void {
  describe(`${name} (ChannelStorage contract)`, () => {
    const filter = { chainId: bareChannel.chainId, contract: addresses.contract, sender: addresses.sender };

    it("starts empty", async () => {
      const storage = await create();
      assert.equal(await storage.get(bareChannel), undefined);
      assert.deepEqual(await storage.list(filter), []);
    });

    it("round-trips every field, bigints beyond 2^53 and undefined optionals included", async () => {
      const storage = await create();
      await storage.put(fullChannel);
      await storage.put(bareChannel);
      assert.deepEqual(await storage.get(fullChannel), fullChannel);
      assert.deepEqual(await storage.get(bareChannel), bareChannel);
    });

    it("finds a channel whatever the case of the key's addresses", async () => {
      const storage = await create();
      await storage.put(bareChannel);
      const unchecksummed = {
        ...bareChannel,
        contract: lowercase(addresses.contract),
        sender: lowercase(addresses.sender),
        receiver: lowercase(addresses.receiver),
      };
      assert.deepEqual(await storage.get(unchecksummed), bareChannel);
      await storage.put({ ...unchecksummed, balance: 5n });
      assert.deepEqual(await storage.list(filter), [{ ...bareChannel, balance: 5n }]);
    });

    it("overwrites the channel with the same key", async () => {
      const storage = await create();
      await storage.put(bareChannel);
      await storage.put({ ...bareChannel, balance: 700n, balanceSignature: signature });
      assert.deepEqual(await storage.get(bareChannel), { ...bareChannel, balance: 700n, balanceSignature: signature });
      assert.equal((await storage.list(filter)).length, 1);
    });

    it("lists by chain, contract and sender, and by receiver when given", async () => {
      const storage = await create();
      const toReceiver = bareChannel;
      const toOther = { ...bareChannel, receiver: addresses.otherReceiver, openBlock: 13n };
      const secondToReceiver = { ...bareChannel, openBlock: 14n };
      const otherChain = { ...bareChannel, chainId: 1 };
      const otherContract = { ...bareChannel, contract: addresses.token };
      const otherSender = { ...bareChannel, sender: addresses.delegatedSigner };
      for (const channel of [toReceiver, toOther, secondToReceiver, otherChain, otherContract, otherSender]) {
        await storage.put(channel);
      }
      assert.deepEqual((await storage.list(filter)).sort(byKey), [toReceiver, secondToReceiver, toOther].sort(byKey));
      assert.deepEqual(
        (await storage.list({ ...filter, receiver: addresses.receiver })).sort(byKey),
        [toReceiver, secondToReceiver].sort(byKey),
      );
      assert.deepEqual(await storage.list({ ...filter, receiver: lowercase(addresses.otherReceiver) }), [toOther]);
      assert.deepEqual(await storage.list({ ...filter, chainId: 1 }), [otherChain]);
      assert.deepEqual(await storage.list({ ...filter, receiver: addresses.delegatedSigner }), []);
    });

    it("deletes one channel, and deleting an absent one is a no-op", async () => {
      const storage = await create();
      const other = { ...bareChannel, openBlock: 13n };
      await storage.put(bareChannel);
      await storage.put(other);
      await storage.delete(bareChannel);
      assert.equal(await storage.get(bareChannel), undefined);
      assert.deepEqual(await storage.list(filter), [other]);
      await storage.delete(bareChannel);
      assert.deepEqual(await storage.list(filter), [other]);
    });

    it("keeps what was stored when a caller mutates a channel it put or got back", async () => {
      const storage = await create();
      const channel = { ...bareChannel };
      await storage.put(channel);
      channel.balance = 1n;
      const got = await storage.get(bareChannel);
      assert.ok(got);
      got.balance = 2n;
      const [listed] = await storage.list(filter);
      assert.ok(listed);
      listed.state = "closed";
      assert.deepEqual(await storage.get(bareChannel), bareChannel);
    });

    it("lands every one of many concurrent puts", async () => {
      const storage = await create();
      const channels = Array.from({ length: 25 }, (_, index) => ({ ...bareChannel, openBlock: BigInt(index + 1) }));
      await Promise.all(channels.map((channel) => storage.put(channel)));
      assert.deepEqual((await storage.list(filter)).sort(byKey), channels);
    });

    it("refuses to store a channel it could not read back, leaving the storage as it was", async () => {
      const storage = await create();
      await storage.put(bareChannel);
      await assert.rejects(
        storage.put({ ...bareChannel, balance: -1n }),
        (error: unknown) => error instanceof InvalidStoredChannelError && error.field === "balance",
      );
      await assert.rejects(
        storage.put({ ...bareChannel, openBlock: 13n, sessionKey: "0x1234" }),
        (error: unknown) => error instanceof InvalidStoredChannelError && error.field === "sessionKey",
      );
      assert.deepEqual(await storage.list(filter), [bareChannel]);
    });
  });
}
