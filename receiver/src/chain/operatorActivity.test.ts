import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createOperatorActivity } from "./operatorActivity.ts";

describe("operator activity", () => {
  it("keeps the latest 50 lines, newest last, with when each was logged", () => {
    let now = 1_000;
    const activity = createOperatorActivity(() => now++);
    for (let i = 0; i < 60; i++) activity.record(`line ${i}`);
    const lines = activity.recent();
    assert.equal(lines.length, 50);
    assert.deepEqual(lines[0], { at: 1_010, message: "line 10" });
    assert.deepEqual(lines.at(-1), { at: 1_059, message: "line 59" });
    // A copy: what a reader holds does not change under it.
    activity.record("line 60");
    assert.equal(lines.at(-1)?.message, "line 59");
  });
});
