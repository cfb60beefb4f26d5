import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { sponsoredOpenLimiter } from "./sponsoredOpenLimiter.ts";

describe("sponsoredOpenLimiter (sliding window, on a clock the test moves)", () => {
  it("lets a key take `limit` slots per window, says how long to wait, and forgets events that left the window", () => {
    let clock = 1_000_000;
    const limiter = sponsoredOpenLimiter({ limit: 2, windowMs: 60_000 }, () => clock);
    assert.equal(limiter.waitFor("alice"), 0);
    limiter.take("alice");
    clock += 10_000;
    limiter.take("alice");
    assert.equal(limiter.waitFor("alice"), 50_000, "until the first event leaves the window");
    assert.equal(limiter.waitFor("bob"), 0, "keys are independent");
    clock += 50_000;
    assert.equal(limiter.waitFor("alice"), 0);
    limiter.take("alice");
    assert.equal(limiter.waitFor("alice"), 10_000, "a sliding window, not a fixed one");
  });

  it("gives a slot back when asked (an attempt the receiver could not send), and only that slot", () => {
    let clock = 1_000_000;
    const limiter = sponsoredOpenLimiter({ limit: 2, windowMs: 60_000 }, () => clock);
    limiter.take("alice");
    clock += 1_000;
    const giveBack = limiter.take("alice");
    assert.equal(limiter.waitFor("alice"), 59_000);
    giveBack();
    assert.equal(limiter.waitFor("alice"), 0, "the first slot is still taken, the second is free again");
    limiter.take("alice");
    assert.equal(limiter.waitFor("alice"), 59_000);
  });

  it("refuses a configuration that would let nothing through", () => {
    assert.throws(() => sponsoredOpenLimiter({ limit: 0, windowMs: 1000 }), /at least 1/);
    assert.throws(() => sponsoredOpenLimiter({ limit: 1, windowMs: 0 }), /positive/);
  });

  it("after a flood of one-off keys (which triggers the sweep), every key is limited as before", () => {
    let clock = 0;
    const limiter = sponsoredOpenLimiter({ limit: 1, windowMs: 1000 }, () => clock);
    for (let i = 0; i < 10_001; i++) limiter.take(`client-${i}`);
    clock += 1000;
    limiter.take("late");
    // Every earlier key has left the window: each may take again at once.
    assert.equal(limiter.waitFor("client-0"), 0);
    assert.equal(limiter.waitFor("late"), 1000);
  });
});
