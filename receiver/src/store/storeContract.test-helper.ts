import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { AsyncProofStore } from "./AsyncProofStore.ts";
import type { ProofStore } from "./ProofStore.ts";
import type { ChainEvent, ProofRecord } from "./records.ts";

/** A store under test: the synchronous interface or the asynchronous one (every call is awaited). */
export type AnyProofStore = ProofStore | AsyncProofStore;

/**
 * A fresh, empty place for a store (a file, a database): `open()` opens a store on it (again after a close, to see
 * what was kept); `remove()` deletes it.
 */
export type StorePlace = { open(): Promise<AnyProofStore>; remove(): Promise<void> };

const sender = "0x70997970C51812dc3A010C7d01b50e0d17dc79C8";
const other = "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC";
const signature = `0x${"11".repeat(64)}1b` as const;
const hash = (n: number) => `0x${n.toString(16).padStart(64, "0")}` as const;
const created = (block: bigint): ChainEvent => ({
  blockNumber: block,
  blockHash: hash(Number(block)),
  logIndex: 0,
  transactionHash: hash(999),
  name: "ChannelCreated",
  sender,
  openBlock: block,
  amounts: { deposit: 2n ** 95n },
  signer: undefined,
  settleBlock: undefined,
});

/** What every ProofStore implementation must do, run against one of them. */
export function describeStoreContract(name: string, freshPlace: () => Promise<StorePlace>): void {
  describe(`${name}: the store contract`, () => {
    async function withStore(work: (store: AnyProofStore, place: StorePlace) => Promise<void>) {
      const place = await freshPlace();
      const store = await place.open();
      try {
        await work(store, place);
      } finally {
        await store.close();
        await place.remove();
      }
    }

    it("keeps a delegated key's 150-byte proof (proof ‖ signer ‖ delegation) exactly as given", async () => {
      await withStore(async (store) => {
        const packed = `${signature}${sender.slice(2)}${signature.slice(2)}` as const;
        const proof: ProofRecord = {
          sender,
          openBlock: 6n,
          balance: 3n,
          signature: packed,
          request: "GET /b",
          committedAt: 2,
        };
        await store.saveProofs([proof]);
        assert.deepEqual(await store.loadProofs(), [proof]);
      });
    });

    it("keeps what it stored across a close and a reopen", async () => {
      const place = await freshPlace();
      try {
        const store = await place.open();
        await store.saveProofs([
          { sender, openBlock: 5n, balance: 2n ** 200n, signature, request: "GET /a", committedAt: 1 },
        ]);
        await store.saveClosingAgreement({ sender, openBlock: 5n, balance: 2n ** 200n });
        await store.appendBlocks([{ number: 9n, hash: hash(9) }], [created(9n)]);
        await store.close();
        const again = await place.open();
        assert.deepEqual(await again.loadProofs(), [
          { sender, openBlock: 5n, balance: 2n ** 200n, signature, request: "GET /a", committedAt: 1 },
        ]);
        assert.deepEqual(await again.loadClosingAgreements(), [{ sender, openBlock: 5n, balance: 2n ** 200n }]);
        assert.deepEqual(await again.lastBlock(), { number: 9n, hash: hash(9) });
        await again.close();
      } finally {
        await place.remove();
      }
    });

    it("a later proof for a channel replaces the earlier one", () =>
      withStore(async (store) => {
        await store.saveProofs([{ sender, openBlock: 5n, balance: 1n, signature, request: "GET /a", committedAt: 1 }]);
        await store.saveProofs([{ sender, openBlock: 5n, balance: 2n, signature, request: "GET /b", committedAt: 2 }]);
        await store.saveProofs([{ sender, openBlock: 6n, balance: 3n, signature, request: "", committedAt: 3 }]);
        const proofs = await store.loadProofs();
        assert.deepEqual(proofs.map((p) => [p.openBlock, p.balance, p.request, p.committedAt]).sort(), [
          [5n, 2n, "GET /b", 2],
          [6n, 3n, "", 3],
        ]);
      }));

    it("keeps amounts exact (never floating point) and events in chain order", () =>
      withStore(async (store) => {
        await store.appendBlocks([{ number: 9n, hash: hash(9) }], [created(9n)]);
        await store.appendBlocks([{ number: 7n, hash: hash(7) }], [created(7n)]);
        assert.deepEqual(
          (await store.loadEvents()).map((e) => [e.blockNumber, e.amounts.deposit]),
          [
            [7n, 2n ** 95n],
            [9n, 2n ** 95n],
          ],
        );
        assert.deepEqual((await store.loadEvents())[0], created(7n));
      }));

    it("keeps an event's signer and settle block", () =>
      withStore(async (store) => {
        const closing: ChainEvent = {
          ...created(4n),
          logIndex: 2,
          name: "ChannelCloseRequested",
          amounts: { balance: 10n ** 30n + 1n },
          signer: other,
          settleBlock: 504n,
        };
        await store.appendBlocks([{ number: 4n, hash: hash(4) }], [closing]);
        assert.deepEqual(await store.loadEvents(), [closing]);
      }));

    it("rolls back blocks and events above a block", () =>
      withStore(async (store) => {
        await store.appendBlocks(
          [
            { number: 3n, hash: hash(3) },
            { number: 8n, hash: hash(8) },
          ],
          [created(3n), created(8n)],
        );
        await store.rollbackTo(5n);
        assert.deepEqual(
          (await store.loadEvents()).map((e) => e.blockNumber),
          [3n],
        );
        assert.equal((await store.lastBlock())?.number, 3n);
        assert.equal(await store.blockHash(8n), undefined);
      }));

    it("finds the highest stored block below a number", () =>
      withStore(async (store) => {
        await store.appendBlocks(
          [
            { number: 3n, hash: hash(3) },
            { number: 8n, hash: hash(8) },
          ],
          [],
        );
        assert.deepEqual(await store.blockBelow(8n), { number: 3n, hash: hash(3) });
        assert.equal(await store.blockBelow(3n), undefined);
      }));

    it("prunes old cursor-only blocks but keeps every block with an event", () =>
      withStore(async (store) => {
        await store.appendBlocks([{ number: 10n, hash: hash(10) }], [created(10n)]);
        await store.appendBlocks([{ number: 20n, hash: hash(20) }], []);
        await store.appendBlocks([{ number: 20_050n, hash: hash(20_050) }], []);
        assert.equal(await store.blockHash(10n), hash(10));
        assert.equal(await store.blockHash(20n), undefined);
        assert.equal((await store.lastBlock())?.number, 20_050n);
      }));

    it("records closing agreements and forgets one on request", () =>
      withStore(async (store) => {
        await store.saveClosingAgreement({ sender, openBlock: 5n, balance: 1n });
        await store.saveClosingAgreement({ sender, openBlock: 5n, balance: 4n });
        await store.saveClosingAgreement({ sender: other, openBlock: 6n, balance: 2n });
        await store.deleteClosingAgreement(other, 6n);
        assert.deepEqual(await store.loadClosingAgreements(), [{ sender, openBlock: 5n, balance: 4n }]);
      }));

    it("adds up each hour's earnings per resource (path without query), each rise of a balance once, exactly", () =>
      withStore(async (store) => {
        const hour = 3_600_000;
        const at = (n: number) => 400_000 * hour + n;
        const big = 2n ** 70n; // past SQLite's 64-bit integers: the sums must stay exact
        const pay = (openBlock: bigint, balance: bigint, request: string, committedAt: number) =>
          store.saveProofs([{ sender, openBlock, balance, signature, request, committedAt }]);
        await pay(5n, big, "GET /a?x=1", at(1));
        await pay(5n, big, "GET /a?x=1", at(2)); // the same proof stored again (a retried batch): earns nothing
        await pay(5n, big + 3n, "GET /a?x=2", at(3));
        await pay(6n, 4n, "GET /b", at(4));
        await pay(6n, 10n, "", at(hour + 5)); // a close at a higher balance, the next hour
        await pay(7n, 1n, "GET /a", at(-hour)); // the hour before: left out below
        assert.deepEqual(await store.loadEarnings(at(0)), [
          { hourStart: at(0), resource: "/a", amount: big + 3n, payments: 2 },
          { hourStart: at(0), resource: "/b", amount: 4n, payments: 1 },
          { hourStart: at(hour), resource: "", amount: 6n, payments: 1 },
        ]);
        assert.equal((await store.loadEarnings(at(-hour))).length, 4);
        assert.deepEqual(await store.loadEarnings(at(2 * hour)), []);
      }));

    it("counts a batch of proofs as it counts them one by one", () =>
      withStore(async (store) => {
        const hour = 3_600_000;
        const at = (n: number) => 400_000 * hour + n;
        const big = 2n ** 70n;
        const proof = (openBlock: bigint, balance: bigint, request: string, committedAt: number): ProofRecord => ({
          sender,
          openBlock,
          balance,
          signature,
          request,
          committedAt,
        });
        await store.saveProofs([proof(5n, big, "GET /a", at(1))]);
        await store.saveProofs([
          proof(5n, big, "GET /a", at(2)), // stored already: earns nothing
          proof(6n, 4n, "GET /a?x=1", at(3)),
          proof(7n, 6n, "GET /b", at(4)),
          proof(8n, big, "GET /a", at(hour + 5)), // the next hour
          proof(9n, 1n, "GET /a", at(6)),
        ]);
        assert.deepEqual(await store.loadEarnings(at(0)), [
          { hourStart: at(0), resource: "/a", amount: big + 5n, payments: 3 },
          { hourStart: at(0), resource: "/b", amount: 6n, payments: 1 },
          { hourStart: at(hour), resource: "/a", amount: big, payments: 1 },
        ]);
      }));

    it("reads channels by filter (through indexes) and adds up the totals exactly, confirmed deposits only", () =>
      withStore(async (store) => {
        const event = (owner: string, openBlock: bigint, block: bigint, logIndex: number, rest: Partial<ChainEvent>) =>
          ({
            ...created(openBlock),
            sender: owner as ChainEvent["sender"],
            blockNumber: block,
            blockHash: hash(Number(block)),
            logIndex,
            ...rest,
          }) satisfies ChainEvent;
        const a = event(sender, 3n, 3n, 0, { amounts: { deposit: 2n ** 95n } });
        const aTopUp = event(sender, 3n, 10n, 1, { name: "ChannelToppedUp", amounts: { added: 2n ** 94n } });
        const aWithdrawn = event(sender, 3n, 11n, 0, {
          name: "ChannelWithdrawn",
          amounts: { amount: 5n, withdrawn: 5n },
        });
        const b = event(other, 4n, 4n, 0, { amounts: { deposit: 7n } });
        const bClose = event(other, 4n, 12n, 0, {
          name: "ChannelCloseRequested",
          amounts: { balance: 1n },
          settleBlock: 600n,
        });
        const c = event(sender, 5n, 5n, 0, { amounts: { deposit: 100n } });
        const cSettled = event(sender, 5n, 13n, 0, { name: "ChannelSettled", amounts: { balance: 50n } });
        const d = event(other, 20n, 20n, 0, { amounts: { deposit: 2n ** 80n } });
        const all = [a, b, c, aTopUp, aWithdrawn, bClose, cSettled, d];
        await store.appendBlocks(
          all.map((e) => ({ number: e.blockNumber, hash: e.blockHash })),
          all,
        );
        const pay = (owner: string, openBlock: bigint, balance: bigint) =>
          store.saveProofs([
            { sender: owner as ChainEvent["sender"], openBlock, balance, signature, request: "GET /a", committedAt: 1 },
          ]);
        await pay(sender, 3n, 2n ** 70n);
        await pay(other, 4n, 3n);
        await pay(sender, 5n, 50n);
        await store.saveClosingAgreement({ sender: other, openBlock: 4n, balance: 3n });

        const keys = async (filter: Parameters<AnyProofStore["loadChannels"]>[0]) =>
          (await store.loadChannels(filter)).map((channel) => `${channel.sender}:${channel.openBlock}`);
        // In the order the channels were opened.
        assert.deepEqual(await keys({}), [`${sender}:3`, `${other}:4`, `${sender}:5`, `${other}:20`]);
        const [one] = await store.loadChannels({ sender: sender.toLowerCase() as ChainEvent["sender"], openBlock: 3n });
        assert.deepEqual(one?.events, [a, aTopUp, aWithdrawn]);
        assert.deepEqual([one?.proof?.balance, one?.proof?.signature, one?.closing], [2n ** 70n, signature, false]);
        assert.deepEqual(await keys({ sender: other }), [`${other}:4`, `${other}:20`]);
        assert.deepEqual(await keys({ closePending: true }), [`${other}:4`]);
        assert.equal((await store.loadChannels({ closePending: true }))[0]?.closing, true);
        assert.deepEqual(await keys({ paid: true }), [`${sender}:3`, `${other}:4`, `${sender}:5`]);
        assert.deepEqual(await keys({ sender, openBlock: 99n }), []);
        // Open block 0 is a filter, not its absence (anyone can ask for it: a 0 must not change what later asks get).
        assert.deepEqual(await keys({ sender, openBlock: 0n }), []);
        assert.deepEqual(await keys({ sender }), [`${sender}:3`, `${sender}:5`]);
        assert.deepEqual(await keys({ sender, openBlock: 0n }), []);

        // Block 15 confirmed: d is not yet; a's top-up is. b is closing (pending), c settled.
        assert.deepEqual(await store.channelTotals(15n), {
          depositSum: 2n ** 95n + 2n ** 94n,
          openChannels: 1,
          pendingChannels: 1,
          balanceSum: 2n ** 70n - 5n + 3n,
          uniqueSenders: 1,
        });
        assert.deepEqual(await store.channelTotals(9n), {
          depositSum: 2n ** 95n,
          openChannels: 1,
          pendingChannels: 1,
          balanceSum: 2n ** 70n - 5n + 3n,
          uniqueSenders: 1,
        });
        assert.deepEqual(await store.channelTotals(20n), {
          depositSum: 2n ** 95n + 2n ** 94n + 2n ** 80n,
          openChannels: 2,
          pendingChannels: 1,
          balanceSum: 2n ** 70n - 5n + 3n,
          uniqueSenders: 2,
        });

        // What the operator's withdraw and close-all read: not settled; owing more than was withdrawn.
        assert.deepEqual(await keys({ unsettled: true }), [`${sender}:3`, `${other}:4`, `${other}:20`]);
        assert.deepEqual(await keys({ paid: true, unsettled: true }), [`${sender}:3`, `${other}:4`]);
        assert.deepEqual(await keys({ owing: true }), [`${sender}:3`, `${other}:4`, `${sender}:5`]);
        const withdrawn = (owner: string, openBlock: bigint, block: bigint, total: bigint) =>
          event(owner, openBlock, block, 0, { name: "ChannelWithdrawn", amounts: { amount: total, withdrawn: total } });
        // a withdrawn in full; d paid 10 and 9 withdrawn (10 is above 9 although "10" < "9" as text).
        const more = [withdrawn(sender, 3n, 16n, 2n ** 70n), withdrawn(other, 20n, 21n, 9n)];
        await store.appendBlocks(
          more.map((e) => ({ number: e.blockNumber, hash: e.blockHash })),
          more,
        );
        await pay(other, 20n, 10n);
        assert.deepEqual(await keys({ paid: true, unsettled: true, owing: true }), [`${other}:4`, `${other}:20`]);
        await pay(other, 4n, 2n ** 71n);
        assert.deepEqual(await keys({ sender: other, owing: true }), [`${other}:4`, `${other}:20`]);
      }));

    it("records a challenge and its later outcome", () =>
      withStore(async (store) => {
        await store.saveChallenge({
          sender,
          openBlock: 5n,
          balance: 3n,
          transactionHash: undefined,
          lastError: "no gas",
        });
        await store.saveChallenge({
          sender,
          openBlock: 5n,
          balance: 3n,
          transactionHash: hash(1),
          lastError: undefined,
        });
        assert.deepEqual(await store.loadChallenges(), [
          { sender, openBlock: 5n, balance: 3n, transactionHash: hash(1), lastError: undefined },
        ]);
      }));
  });
}
