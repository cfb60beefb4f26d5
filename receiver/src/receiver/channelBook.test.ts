// The book is a bounded cache over the store, and the store adds up the /stats totals. This drives both through long
// seeded random histories (channels opened, topped up, withdrawn, closed, settled, paid; the head moving; restarts
// and reorgs dropping the cache) with a book of 3 channels at most, and after every step compares, with every channel
// as this test works it out from the events, proofs and closing marks it generated (not through the store or the
// book): the store's totals, each channel the store reads, and each channel in memory.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, getAddress, type Hex, toHex } from "viem";
import type { ProofStore } from "../store/ProofStore.ts";
import type { ChainEvent, ChannelEventName, ProofRecord } from "../store/records.ts";
import { sqliteStore } from "../store/sqliteStore.ts";
import { type BookTotals, ChannelBook, type ChannelView } from "./channelBook.ts";

/** mulberry32: a small seeded generator, so a failing history replays exactly from its seed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return {
    chance: (p: number) => next() < p,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    amount: (max: number) => BigInt(1 + Math.floor(next() * max)),
    pick: <T>(items: readonly T[]): T | undefined => items[Math.floor(next() * items.length)],
  };
}

/**
 * What /stats means, channel by channel: a channel counts as open once its creation block has `confirmations`
 * confirmations and until a close is requested or it is settled; its deposit is what arrived in confirmed blocks;
 * every channel not settled owes its balance minus what was withdrawn.
 */
function bruteForceTotals(channels: readonly ChannelView[], head: bigint, confirmations: number): BookTotals {
  const confirmedUpTo = head - BigInt(confirmations) + 1n;
  const totals = { depositSum: 0n, openChannels: 0, pendingChannels: 0, balanceSum: 0n, uniqueSenders: 0 };
  const senders = new Set<string>();
  for (const channel of channels) {
    if (channel.settled) continue;
    totals.balanceSum += channel.balance - channel.withdrawn;
    if (channel.closeRequest) {
      totals.pendingChannels++;
      continue;
    }
    const [creation] = channel.deposits;
    if (!creation || creation.block > confirmedUpTo) continue;
    totals.openChannels++;
    senders.add(channel.sender.toLowerCase());
    for (const deposit of channel.deposits) if (deposit.block <= confirmedUpTo) totals.depositSum += deposit.amount;
  }
  totals.uniqueSenders = senders.size;
  return totals;
}

type Identity = { sender: Address; openBlock: bigint };
const key = (channel: Identity) => `${channel.sender}:${channel.openBlock}`;

/** A payment as the book holds it, from the proof the history stored. */
function expectedPayment(proof: ProofRecord | undefined) {
  return (
    proof && {
      balance: proof.balance,
      signature: proof.signature,
      request: proof.request,
      committedAt: proof.committedAt,
      delivered: false,
      secondDeliveryUsed: false,
    }
  );
}

/**
 * Every channel as the generated history makes it, one event at a time in chain order: from each ChannelCreated on,
 * with the latest proof of the channel (a payment outlives a reorg) and its closing mark.
 */
function expectEvent(
  channels: Map<string, ChannelView>,
  event: ChainEvent,
  proofs: ReadonlyMap<string, ProofRecord>,
  closing: ReadonlySet<string>,
): void {
  const k = key(event);
  if (event.name === "ChannelCreated") {
    const proof = proofs.get(k);
    channels.set(k, {
      sender: event.sender,
      openBlock: event.openBlock,
      deposits: [{ block: event.blockNumber, amount: event.amounts.deposit ?? 0n }],
      signer: undefined,
      withdrawn: 0n,
      closeRequest: undefined,
      settled: false,
      balance: proof?.balance ?? 0n,
      signature: proof?.signature,
      latest: expectedPayment(proof),
      closing: closing.has(k),
    });
    return;
  }
  const channel = channels.get(k);
  assert.ok(channel, `the history made an event of ${k} before its creation`);
  if (event.name === "ChannelToppedUp")
    channel.deposits.push({ block: event.blockNumber, amount: event.amounts.added ?? 0n });
  else if (event.name === "ChannelWithdrawn") channel.withdrawn = event.amounts.withdrawn ?? 0n;
  else if (event.name === "ChannelCloseRequested") {
    const { balance = 0n } = event.amounts;
    channel.closeRequest = { balance, settleBlock: event.settleBlock ?? 0n, block: event.blockNumber };
  } else if (event.name === "ChannelSettled") channel.settled = true;
}

/** One random history of `steps` steps; returns a description of what it did, for the failure message. */
function runHistory(seed: number, confirmations: number, steps: number) {
  const random = generator(seed);
  const store: ProofStore = sqliteStore(":memory:");
  let book = new ChannelBook({ store, maxChannels: 3 });
  /**
   * What the history generated: chain events in chain order (a reorg removes those above its fork), latest proofs,
   * closing marks; and every channel as they make it, worked out here (`expectEvent`), not by the store or the book.
   */
  let events: ChainEvent[] = [];
  const proofs = new Map<string, ProofRecord>();
  const closing = new Set<string>();
  let model = new Map<string, ChannelView>();
  const expected = () => [...model.values()];
  // A few senders, so several channels share one (unique_senders) and lowercase/checksum spellings both occur.
  const senders = Array.from({ length: 4 }, (_, i) => getAddress(toHex(0xa11ce0n + BigInt(i) * 0x1111n, { size: 20 })));
  let head = 10n;
  let logIndex = 0;
  const log: string[] = [];
  /** Channels ever created, including ones a reorg dropped (they may be re-included with the same identity). */
  const created = new Map<string, Identity & { deposit: bigint; withdrawn: bigint }>();
  const paid = new Map<string, bigint>();

  const check = (what: string) => {
    log.push(what);
    const channels = expected();
    // The store reads channels as the history made them (through a book of its own, so the one under test is not
    // touched): those in memory and one more at each step, all of them every 50 steps (reading all is what is slow).
    const reader = new ChannelBook({ store });
    if (log.length % 50 === 0) assert.deepEqual(reader.select({}), channels, `seed ${seed}, after ${what}: the store`);
    else {
      for (const [i, channel] of channels.entries()) {
        if (i !== log.length % channels.length && !book.peek(channel.sender, channel.openBlock)) continue;
        const read = reader.get(channel.sender, channel.openBlock);
        assert.deepEqual(read, channel, `seed ${seed}, after ${what}: ${key(channel)} in the store`);
      }
    }
    for (const fresh of channels) {
      const cached = book.peek(fresh.sender, fresh.openBlock);
      if (!cached) continue;
      // The operator's own withdrawal or close shows in memory before the chain (and the store) has it.
      const { withdrawn, settled, ...rest } = cached;
      const { withdrawn: storedWithdrawn, settled: storedSettled, ...storedRest } = fresh;
      assert.deepEqual(rest, storedRest, `seed ${seed}, after ${what}: ${key(fresh)} in memory`);
      assert.ok(withdrawn >= storedWithdrawn && (settled || !storedSettled), `seed ${seed}, after ${what}`);
    }
    const expectedTotals = bruteForceTotals(channels, head, confirmations);
    const actual = store.channelTotals(head - BigInt(confirmations) + 1n);
    if (JSON.stringify(actual, bigints) !== JSON.stringify(expectedTotals, bigints)) {
      assert.deepEqual(
        actual,
        expectedTotals,
        `seed ${seed}, ${confirmations} confirmation(s), after step ${log.length}: ${what}\nlast steps:\n  ${log.slice(-12).join("\n  ")}`,
      );
    }
  };

  const emit = (name: ChannelEventName, channel: Identity, block: bigint, extra: Partial<ChainEvent> = {}) => {
    const event: ChainEvent = {
      blockNumber: block,
      blockHash: toHex(block, { size: 32 }),
      logIndex: logIndex++,
      transactionHash: toHex(BigInt(logIndex), { size: 32 }),
      name,
      sender: channel.sender,
      openBlock: channel.openBlock,
      amounts: {},
      ...extra,
    };
    store.appendBlocks([{ number: block, hash: event.blockHash }], [event]);
    events.push(event);
    expectEvent(model, event, proofs, closing);
    book.apply(event);
    check(`${name} ${key(channel)} at ${block} ${JSON.stringify(event.amounts, bigints)}`);
  };

  /** The book's channels in a state the chain allows `what` in. */
  const live = (filter: (c: ChannelView) => boolean) =>
    expected()
      .filter(filter)
      .map((c) => ({ sender: c.sender, openBlock: c.openBlock }));

  /** Events of one new block (the watcher applies a block's events, then moves the head). */
  const newBlockEvents = (block: bigint) => {
    for (let n = random.int(0, 3); n > 0; n--) {
      const roll = random.int(0, 99);
      if (roll < 25) {
        // A new channel, or one a reorg dropped coming back in the same block with the same identity.
        const dropped = [...created.values()].find((c) => c.openBlock === block && !book.get(c.sender, c.openBlock));
        const sender = random.pick(senders) ?? senders[0];
        if (!sender) continue;
        const channel = dropped && random.chance(0.7) ? dropped : { sender, openBlock: block };
        if (book.get(channel.sender, channel.openBlock)) continue;
        const deposit = random.amount(1000);
        created.set(key(channel), { ...channel, deposit, withdrawn: 0n });
        emit("ChannelCreated", channel, block, { amounts: { deposit } });
      } else if (roll < 45) {
        // Top-ups, mostly of open channels, sometimes of closing ones (the book must not count those).
        const channel = random.pick(live((c) => !c.settled && (!c.closeRequest || random.chance(0.2))));
        if (!channel) continue;
        const added = random.amount(500);
        emit("ChannelToppedUp", channel, block, { amounts: { added } });
      } else if (roll < 60) {
        const channel = random.pick(live((c) => !c.settled && c.balance > c.withdrawn));
        const view = channel && book.get(channel.sender, channel.openBlock);
        if (!channel || !view) continue;
        const withdrawn = view.withdrawn + random.amount(Number(view.balance - view.withdrawn));
        emit("ChannelWithdrawn", channel, block, { amounts: { amount: withdrawn - view.withdrawn, withdrawn } });
      } else if (roll < 75) {
        const channel = random.pick(live((c) => !c.settled && !c.closeRequest));
        if (!channel) continue;
        emit("ChannelCloseRequested", channel, block, {
          amounts: { balance: random.amount(100) },
          settleBlock: block + 5n,
        });
      } else {
        // Settled after a requested close, or at once (a cooperative close).
        const channel = random.pick(live((c) => !c.settled && (c.closeRequest !== undefined || random.chance(0.3))));
        if (!channel) continue;
        emit("ChannelSettled", channel, block, { amounts: { balance: 0n } });
      }
    }
  };

  for (let step = 0; step < steps; step++) {
    const roll = random.int(0, 99);
    if (roll < 35) {
      // The watcher reads 1–3 new blocks, applying their events, then moves the head (and prunes what is confirmed).
      const to = head + BigInt(random.int(1, 3));
      for (let block = head + 1n; block <= to; block++) newBlockEvents(block);
      head = to;
      store.appendBlocks([{ number: head, hash: toHex(head, { size: 32 }) }], []);
      check(`head ${head}`);
    } else if (roll < 70) {
      // A payment: a higher balance, durably stored, on a known channel or (rarely) one the book does not show.
      const channel =
        random.chance(0.95) || created.size === 0 ? random.pick(live(() => true)) : random.pick([...created.values()]);
      if (!channel) continue;
      const balance = (paid.get(key(channel)) ?? 0n) + random.amount(50);
      paid.set(key(channel), balance);
      const proof = {
        ...channel,
        balance,
        signature: toHex(balance, { size: 65 }) satisfies Hex,
        request: "GET /x",
        committedAt: step,
      };
      store.saveProofs([proof]);
      proofs.set(key(channel), proof);
      const modelled = model.get(key(channel));
      if (modelled) Object.assign(modelled, { balance, signature: proof.signature, latest: expectedPayment(proof) });
      book.recordProof(proof);
      check(`proof ${key(channel)} ${balance}`);
    } else if (roll < 78) {
      // The operator's own withdrawal or close, recorded before the chain shows it (which may already show the
      // channel settled: the operator's transaction raced the watcher).
      const channel = random.pick(live((c) => (!c.settled || random.chance(0.2)) && c.balance > c.withdrawn));
      const view = channel && book.get(channel.sender, channel.openBlock);
      if (!channel || !view) continue;
      if (random.chance(0.7)) {
        book.recordWithdrawn(channel.sender, channel.openBlock, view.balance);
        check(`operator withdrew ${key(channel)} up to ${view.balance}`);
      } else {
        book.markSettled(channel.sender, channel.openBlock);
        check(`operator closed ${key(channel)}`);
      }
    } else if (roll < 86) {
      // A closing signature handed out, or the operator's close undone.
      const channel = random.pick(live(() => true));
      if (!channel) continue;
      if (random.chance(0.7)) {
        store.saveClosingAgreement({ ...channel, balance: 0n });
        closing.add(key(channel));
        const modelled = model.get(key(channel));
        if (modelled) modelled.closing = true;
        book.markClosing(channel.sender, channel.openBlock);
      } else {
        store.deleteClosingAgreement(channel.sender, channel.openBlock);
        closing.delete(key(channel));
        const modelled = model.get(key(channel));
        if (modelled) modelled.closing = false;
        book.clearClosing(channel.sender, channel.openBlock);
      }
      check(`closing mark ${key(channel)}`);
    } else if (roll < 91) {
      // A restart: a new book, reading channels from the store as they are asked for.
      book = new ChannelBook({ store, maxChannels: 3 });
      check("restart");
    } else {
      // A reorg: blocks above the fork are replaced. The watcher rolls the store back and drops the book's channels,
      // then reads the new chain, which may be shorter. /stats may be asked in between, at the head it had before.
      const fork = head - BigInt(random.int(0, 4));
      store.rollbackTo(fork);
      events = events.filter((event) => event.blockNumber <= fork);
      model = new Map();
      for (const event of events) expectEvent(model, event, proofs, closing);
      book.clear();
      check(`reorg to ${fork}: dropped at the old head ${head}`);
      const newHead = fork + BigInt(random.int(0, Number(head - fork)));
      for (let block = fork + 1n; block <= newHead; block++) newBlockEvents(block);
      head = newHead;
      store.appendBlocks([{ number: head, hash: toHex(head, { size: 32 }) }], []);
      check(`reorg to ${fork}: head ${head}`);
    }
  }
  const channels = expected().length;
  store.close();
  return { channels, created: created.size, checks: log.length };
}

function bigints(_key: string, value: unknown) {
  return typeof value === "bigint" ? value.toString() : value;
}

describe("ChannelBook over its store, and the store's totals", () => {
  for (const confirmations of [1, 2, 3]) {
    it(`match a recomputation over every channel after each step of random histories (${confirmations} confirmation(s))`, () => {
      for (const seed of [1, 2, 3]) {
        const { channels, checks } = runHistory(seed * 7919 + confirmations, confirmations, 1500);
        // The histories must be busy enough to mean something.
        assert.ok(channels > 20, `seed ${seed}: only ${channels} channels`);
        assert.ok(checks > 2500, `seed ${seed}: only ${checks} checks`);
      }
    });
  }

  it("forget nothing that a reorg makes unconfirmed again, even when /stats was read at the old head", () => {
    // Found by the random histories: totals() pruned the deposits it saw as confirmed at the head before a reorg,
    // so after the new, shorter chain they still counted as confirmed.
    const store = sqliteStore(":memory:");
    const book = new ChannelBook({ store });
    const sender = getAddress(toHex(0xa11ce0n, { size: 20 }));
    const event: ChainEvent = {
      blockNumber: 20n,
      blockHash: toHex(20n, { size: 32 }),
      logIndex: 0,
      transactionHash: toHex(1n, { size: 32 }),
      name: "ChannelCreated",
      sender,
      openBlock: 20n,
      amounts: { deposit: 100n },
    };
    store.appendBlocks([{ number: 20n, hash: event.blockHash }], [event]);
    book.apply(event);
    const confirmations = 3;
    const limit = (head: bigint) => head - BigInt(confirmations) + 1n;
    // Head 25: the channel is confirmed and open.
    assert.equal(store.channelTotals(limit(25n)).openChannels, 1);
    // A reorg to block 21 (the channel's block stays), dropped while the head is still 25 and /stats is read then.
    store.rollbackTo(21n);
    book.clear();
    assert.deepEqual(store.channelTotals(limit(25n)), bruteForceTotals(book.select({}), 25n, confirmations));
    // The new chain's head is 21: block 20 has 2 confirmations, the channel is pending again.
    assert.deepEqual(store.channelTotals(limit(21n)), bruteForceTotals(book.select({}), 21n, confirmations));
    assert.equal(store.channelTotals(limit(21n)).openChannels, 0);
    store.close();
  });
});
