// The script tag's `eventemitter3` (vite.config.ts aliases it in the tag's build; wagmi's connection emitter is its
// only user there). The package is CommonJS, which the bundler wraps in its module runtime; this is the part wagmi
// calls (`on`, `once`, `off`, `emit`, `listenerCount`) as an ES module, with eventemitter3's semantics: listeners
// run in the order they were added, a `once` listener is removed before it runs, and listeners added or removed
// while an event is emitted take effect from the next emit.

type Listener = { fn: (...args: unknown[]) => void; once: boolean };

/** eventemitter3's `EventEmitter`, as far as wagmi uses it. */
export class EventEmitter {
  #listeners = new Map<string | symbol, Listener[]>();

  on(event: string | symbol, fn: (...args: unknown[]) => void): this {
    return this.#add(event, fn, false);
  }

  once(event: string | symbol, fn: (...args: unknown[]) => void): this {
    return this.#add(event, fn, true);
  }

  /** Removes every listener of `event` that is `fn`, or all of them without `fn`. */
  off(event: string | symbol, fn?: (...args: unknown[]) => void): this {
    const kept = fn === undefined ? [] : (this.#listeners.get(event) ?? []).filter((listener) => listener.fn !== fn);
    if (kept.length > 0) this.#listeners.set(event, kept);
    else this.#listeners.delete(event);
    return this;
  }

  /** Calls the listeners of `event` with `args`; false when it had none. */
  emit(event: string | symbol, ...args: unknown[]): boolean {
    const listeners = this.#listeners.get(event);
    if (!listeners) return false;
    for (const listener of listeners) {
      if (listener.once) this.#removeOne(event, listener);
      listener.fn(...args);
    }
    return true;
  }

  listenerCount(event: string | symbol): number {
    return this.#listeners.get(event)?.length ?? 0;
  }

  #add(event: string | symbol, fn: (...args: unknown[]) => void, once: boolean): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), { fn, once }]);
    return this;
  }

  #removeOne(event: string | symbol, removed: Listener): void {
    const kept = (this.#listeners.get(event) ?? []).filter((listener) => listener !== removed);
    if (kept.length > 0) this.#listeners.set(event, kept);
    else this.#listeners.delete(event);
  }
}
