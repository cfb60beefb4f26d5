import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import { type Address, getAddress, type Hex, toHex } from "viem";
import { ChannelBook, confirmedDeposit } from "../receiver/channelBook.ts";
import { postgresStore } from "../store/postgresStore.ts";
import type { BlockRecord, ChainEvent } from "../store/records.ts";
import { syncPostgresStore } from "../store/syncPostgresStore.ts";
import { createTestDatabase, type TestDatabase } from "../store/testing/createTestDatabase.test-helper.ts";
import { followDatabase } from "./followDatabase.ts";

const sender = getAddress("0x70997970c51812dc3a010c7d01b50e0d17dc79c8");
const other = getAddress("0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc");
const block = (number: bigint, fork = 0): BlockRecord => ({
  number,
  hash: toHex(number * 16n + BigInt(fork), { size: 32 }),
});
const event = (
  name: ChainEvent["name"],
  at: BlockRecord,
  channel: { sender: Address; openBlock: bigint },
  amounts: Record<string, bigint>,
): ChainEvent => ({
  blockNumber: at.number,
  blockHash: at.hash,
  logIndex: 0,
  transactionHash: toHex(at.number * 1000n + BigInt(Object.keys(amounts).length), { size: 32 }) as Hex,
  name,
  ...channel,
  amounts,
  signer: name === "ChannelCreated" ? channel.sender : undefined,
});

const made: TestDatabase[] = [];
after(async () => {
  for (const db of made) await db.drop();
});

describe("followDatabase (a follower's book over the shared database, real PostgreSQL)", () => {
  it("does not keep a channel's event from a block the leader stored and then replaced after a reorganization", async () => {
    const db = await createTestDatabase();
    made.push(db);
    // The leader's writes, and the follower's own store that its book reads channels from on a miss.
    const leader = await postgresStore(db.url);
    const store = await syncPostgresStore(db.url);
    const book = new ChannelBook({ store });
    let head = 0n;
    const follower = followDatabase({
      url: db.url,
      core: { book, setHead: (number) => (head = number) },
      pollIntervalMs: 60_000, // read only when the test says so
      log: () => {},
    });
    try {
      const x = { sender, openBlock: 10n };
      const y = { sender: other, openBlock: 12n };
      await leader.appendBlocks([block(10n)], [event("ChannelCreated", block(10n), x, { deposit: 100n })]);
      await follower.start(); // the follower has read up to block 10

      // The leader stores block 11 with a top-up of X, and a payment on the follower reads X (a miss) just then.
      await leader.appendBlocks([block(11n)], [event("ChannelToppedUp", block(11n), x, { added: 1000n })]);
      assert.ok(book.get(sender, 10n));

      // A reorganization: block 11 is replaced, without the top-up; 12' carries another channel's creation.
      await leader.rollbackTo(10n);
      await leader.appendBlocks(
        [block(11n, 1), block(12n, 1)],
        [event("ChannelCreated", block(12n, 1), y, { deposit: 7n })],
      );
      await follower.refresh();
      assert.equal(head, 12n);
      const channel = book.get(sender, 10n);
      assert.deepEqual(channel?.deposits, [{ block: 10n, amount: 100n }]);
      assert.equal(confirmedDeposit(channel, head, 1), 100n);

      // A top-up stored later still reaches the channel in memory (it was read only up to block 10, then followed).
      await leader.appendBlocks([block(13n)], [event("ChannelToppedUp", block(13n), x, { added: 5n })]);
      await follower.refresh();
      assert.deepEqual(book.get(sender, 10n)?.deposits, [
        { block: 10n, amount: 100n },
        { block: 13n, amount: 5n },
      ]);
      // A channel the database holds beyond the follower's last read is known once the follower read that far.
      await leader.appendBlocks(
        [block(14n)],
        [event("ChannelCreated", block(14n), { sender, openBlock: 14n }, { deposit: 3n })],
      );
      assert.equal(book.get(sender, 14n), undefined);
      await follower.refresh();
      assert.deepEqual(book.get(sender, 14n)?.deposits, [{ block: 14n, amount: 3n }]);
      assert.deepEqual(book.get(other, 12n)?.deposits, [{ block: 12n, amount: 7n }]);
    } finally {
      await follower.close();
      store.close();
      await leader.close();
    }
  });
});
