import type { Address } from "viem";

/**
 * The reader's wallet as the client sees it now: which account it may act for and which chain the wallet is on.
 * Follows the wallet's `accountsChanged` / `chainChanged` events once connected. A client with a private key
 * (`account`) is connected from the start.
 */
export type Connection =
  | {
      status: "disconnected";
      address: undefined;
      /** The wallet's chain, when known. */
      chainId: number | undefined;
    }
  | {
      status: "connected";
      /** The account the wallet has selected: the only one the client signs or sends for. */
      address: Address;
      chainId: number | undefined;
    };

/** Holds the client's connection and tells subscribers when it changes (one object per state, for React). */
export type ConnectionStore = {
  getState(): Connection;
  setState(connection: Connection): void;
  subscribe(listener: (connection: Connection, previous: Connection) => void): () => void;
  /** Starts following the wallet's events (on connect); idempotent. */
  follow(): void;
  /** Stops following them (on disconnect). */
  unfollow(): void;
};
