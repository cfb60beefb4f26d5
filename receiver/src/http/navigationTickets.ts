import { createHash, randomBytes } from "node:crypto";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { SharedPayments } from "../store/SharedPayments.ts";

/** The cookie a ticket travels in. Only the receiver reads it (HttpOnly): the browser just carries it back once. */
export const ticketCookieName = "rdn-ticket";

export type NavigationTicketsOptions = {
  /** How long a ticket may wait for its reload, in seconds (default 30). */
  lifetimeSeconds?: number | undefined;
  /** Most tickets outstanding at once; the oldest are forgotten first (default 10 000). */
  maxTickets?: number | undefined;
  now?: (() => number) | undefined;
  /**
   * The database receivers share: tickets live there (by their value's hash), so the reload may reach any receiver,
   * and the payment's second delivery is taken there.
   */
  shared?: Pick<SharedPayments, "issueTicket" | "redeemTicket"> | undefined;
};

/** The paid payment a ticket replays: its one second delivery is what the reload takes. */
export type TicketPayment = {
  sender: `0x${string}`;
  openBlock: bigint;
  balance: bigint;
  /** Takes the second delivery in this process (without a shared database). */
  take?: (() => boolean) | undefined;
};

/**
 * One-time receipts for paid navigation where no Service Worker can attach payments (private windows, workers
 * disabled). The page pays for a request with `fetch` (headers, as always) and asks for a ticket with the
 * `RDN-Navigation-Ticket` request header; the paid answer sets an HttpOnly, SameSite=Strict cookie whose Path is
 * the request's path, holding a random 256-bit value. The reload that follows carries it, and `redeem` serves that
 * one request (same method, path and query) once without a second payment. A ticket is not a payment: it can only
 * replay an answer that was paid for, once, within seconds, on the same site and path. Tickets live in this
 * process's memory, or with `shared` in the database the receivers share (any of them honours it, once).
 */
export function navigationTickets(options: NavigationTicketsOptions = {}) {
  const lifetimeMs = (options.lifetimeSeconds ?? 30) * 1000;
  const maxTickets = options.maxTickets ?? 10_000;
  const now = options.now ?? Date.now;
  // Insertion order is issue order, which makes the oldest the first to expire.
  const tickets = new Map<string, { request: string; expiresAt: number; take: (() => boolean) | undefined }>();

  const prune = () => {
    const time = now();
    for (const [value, ticket] of tickets) {
      if (ticket.expiresAt > time && tickets.size < maxTickets) break;
      tickets.delete(value);
    }
  };

  return {
    /**
     * Sets a ticket for `request` (`METHOD /path?query`) on the paid response in `c`. `take` is asked when the ticket
     * is redeemed, and a false refuses it: the payment's second delivery went to something else (its repeat).
     */
    async issue(c: Context, request: string, payment?: TicketPayment): Promise<void> {
      const value = randomBytes(32).toString("base64url");
      const expiresAt = now() + lifetimeMs;
      if (options.shared && payment) {
        const { sender, openBlock, balance } = payment;
        await options.shared.issueTicket({ ticketHash: hashOf(value), request, expiresAt, sender, openBlock, balance });
      } else {
        prune();
        tickets.set(value, { request, expiresAt, take: payment?.take });
      }
      setCookie(c, ticketCookieName, value, {
        httpOnly: true,
        sameSite: "Strict",
        secure: new URL(c.req.url).protocol === "https:",
        path: cookiePath(c),
        maxAge: Math.ceil(lifetimeMs / 1000),
      });
    },
    /**
     * Whether `c` carries a live ticket for exactly `request`; it is used up either way (a ticket presented for
     * another request is not kept for later), and the cookie is cleared on the answer.
     */
    async redeem(c: Context, request: string): Promise<boolean> {
      const value = getCookie(c, ticketCookieName);
      if (value === undefined) return false;
      deleteCookie(c, ticketCookieName, { path: cookiePath(c), secure: new URL(c.req.url).protocol === "https:" });
      if (options.shared) return options.shared.redeemTicket(hashOf(value), request, now());
      const ticket = tickets.get(value);
      tickets.delete(value);
      if (ticket === undefined || ticket.request !== request || ticket.expiresAt <= now()) return false;
      return ticket.take?.() ?? true;
    },
  };
}

/** What the database keeps of a ticket: its value stays in the reader's cookie only. */
function hashOf(value: string): string {
  return createHash("sha256").update(value).digest("base64url");
}

/**
 * The request's path as the cookie's Path, so the browser sends the ticket to that page only. A path a cookie
 * cannot carry verbatim (`;`, spaces, controls) falls back to its directory; the server-side check still binds the
 * ticket to the exact request.
 */
function cookiePath(c: Context): string {
  const path = new URL(c.req.url).pathname;
  if (/^\/[\x21-\x3a\x3c-\x7e]*$/.test(path)) return path;
  const directory = path.slice(0, path.lastIndexOf("/") + 1);
  return /^\/[\x21-\x3a\x3c-\x7e]*$/.test(directory) ? directory : "/";
}
