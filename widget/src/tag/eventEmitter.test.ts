import { EventEmitter as Original } from "eventemitter3";
import { describe, expect, it } from "vitest";
import { EventEmitter } from "./eventEmitter.ts";

type Emitter = {
  on(event: string, fn: (value: unknown) => void): unknown;
  once(event: string, fn: (value: unknown) => void): unknown;
  off(event: string, fn: (value: unknown) => void): unknown;
  emit(event: string, value: unknown): boolean;
  listenerCount(event: string): number;
};

/** The same calls on eventemitter3 and on the tag's stand-in: what each listener saw, in order. */
function run(Emitter: new () => Emitter) {
  const emitter = new Emitter();
  const seen: string[] = [];
  const a = (value: unknown) => seen.push(`a ${value}`);
  const b = (value: unknown) => {
    seen.push(`b ${value}`);
    // Removing and adding while an event is emitted takes effect from the next emit.
    emitter.off("change", a);
    emitter.on("change", c);
  };
  const c = (value: unknown) => seen.push(`c ${value}`);
  emitter.on("change", a);
  emitter.once("change", b);
  emitter.on("connect", a);
  seen.push(`count ${emitter.listenerCount("change")}`);
  seen.push(`emitted ${emitter.emit("change", 1)}`);
  seen.push(`emitted ${emitter.emit("change", 2)}`);
  emitter.off("change", c);
  seen.push(`emitted ${emitter.emit("change", 3)} count ${emitter.listenerCount("change")}`);
  seen.push(`emitted ${emitter.emit("connect", 4)}`);
  return seen;
}

describe("the script tag's eventemitter3", () => {
  it("calls, counts and removes listeners as eventemitter3 does", () => {
    expect(run(EventEmitter)).toEqual(run(Original));
    expect(run(EventEmitter)).toEqual([
      "count 2",
      "a 1",
      "b 1",
      "emitted true",
      "c 2",
      "emitted true",
      "emitted false count 0",
      "a 4",
      "emitted true",
    ]);
  });
});
