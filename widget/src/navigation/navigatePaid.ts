import { BaseError, type ChannelClient, fetchWithPayment, pay, type StoredChannel } from "@micro-raiden/web-client";
import { decodePaymentResponseHeaders, headerNames, type PaymentRequirements } from "@micro-raiden/web-client/protocol";
import { askPaymentWorker } from "./askPaymentWorker.ts";
import { registerPaymentWorker } from "./registerPaymentWorker.ts";

export type NavigatePaidParameters = {
  client: ChannelClient;
  /** The open channel to pay from (what the Paywall's `onChannelReady` hands over). */
  channel: StoredChannel;
  /** The page's requirements when known (the 402 page's); otherwise asked from the receiver (wallet mode only). */
  requirements?: PaymentRequirements | undefined;
  /**
   * The price the reader approved for this page beyond what the channel pays automatically (the Paywall's
   * `onChannelReady` hands it over): this one navigation is paid at it, once.
   */
  approvedPrice?: bigint | undefined;
  /** Where the document goes; default: `location`. Tests and frames may pass their own. */
  location?: Pick<Location, "href" | "assign" | "reload"> | undefined;
};

/** How the document was loaded paid: through the Service Worker, or with a one-time ticket (the fallback). */
export type NavigatePaidReturnType = "worker" | "ticket";

/**
 * Loads `url` as a real document, paid: the browser navigates (scripts run, the URL is the article's, history and
 * the back button work as on any site), and the payment rides along without a wallet prompt.
 *
 * - With the payment worker (`registerPaymentWorker`): session mode hands the worker the reader's grant for this
 *   receiver (sender and spending policy) and navigates; the worker pays this and every following paid navigation of
 *   the receiver with the channel's session key, within what the channel pays automatically. Wallet mode asks the
 *   wallet for this one proof here (one prompt, under the receiver's lock, within the policy) and hands it to the
 *   worker for this one navigation; so does a price the reader approved (`approvedPrice`), signed with the session key.
 * - Without one (no Service Worker support, blocked, or not answering): the page pays for `url` with `fetch` and the
 *   payment headers, asks the receiver for a one-time ticket (an HttpOnly, SameSite=Strict cookie for that path,
 *   valid 30 s, redeemed once) and navigates; the receiver serves that navigation against the ticket.
 *
 * Resolves just before the document is replaced; rejects with the web-client's errors when the payment cannot be
 * made (budget, deposit, refusal, a rejected prompt), and the current page stays as it is. `url` must be on the
 * page's own origin (the receiver's): anything else is refused before paying (BaseError).
 *
 * @example
 * import { navigatePaid } from "@micro-raiden/widget/navigation";
 * <Paywall requirements={requirements} url={location.href}
 *   onChannelReady={({ client, channel }) => navigatePaid(location.href, { client, channel, requirements })} />
 */
export async function navigatePaid(url: string, parameters: NavigatePaidParameters): Promise<NavigatePaidReturnType> {
  const { client, channel } = parameters;
  const location = parameters.location ?? globalThis.location;
  const target = new URL(url, location.href);
  // Both ways need the page on the receiver's origin: the worker controls only its own origin, and a ticket cookie
  // is set and sent only there. Paying for another origin's page here would charge without delivering it; such
  // content is a paid fragment's business (the script tag's data-micro-raiden-src).
  if (target.origin !== new URL(location.href).origin) {
    throw new BaseError(`navigatePaid loads pages of this origin only, not ${target.origin}.`, {
      details: "Show content of another origin as a paid fragment.",
    });
  }
  const registration = await registerPaymentWorker();
  const worker = registration?.active;

  // An approved price is this navigation's alone: it goes as a one-time proof, not into the worker's standing grant.
  const { approvedPrice } = parameters;
  if (worker && client.signing === "session" && channel.sessionKey && approvedPrice === undefined) {
    const granted = await askPaymentWorker(worker, {
      type: "grant",
      grant: {
        chainId: channel.chainId,
        contract: channel.contract,
        receiver: channel.receiver,
        sender: channel.sender,
        policy: client.policy,
      },
    });
    if (granted) return go(location, target, "worker");
  }

  if (worker) {
    const requirements = parameters.requirements ?? (await requirementsOf(client, target));
    if (!requirements) return go(location, target, "worker"); // Free: nothing to sign.
    // `pay` checks the channel, deposit and budget and signs under the receiver's lock; the worker presents the
    // proof and records the balance only if the receiver accepts it, so nothing is recorded here.
    const handed = await pay(client, {
      channel,
      amount: requirements.price,
      approvedPrice,
      send: async (payment) => ({
        accepted: false,
        result: await askPaymentWorker(worker, {
          type: "voucher",
          voucher: { url: target.href, chainId: channel.chainId, payment },
        }),
      }),
    });
    if (handed) return go(location, target, "worker");
  }

  const paid = await fetchWithPayment(client, {
    input: target.href,
    approvedPrice,
    init: {
      headers: { [headerNames.navigationTicket]: "1" },
      credentials: "same-origin",
      // From the network, and not kept: the navigation must reach the receiver to redeem its ticket.
      cache: "no-store",
    },
  });
  await paid.body?.cancel();
  return go(location, target, "ticket");
}

/** The requirements of a 402 for `url`, or undefined when it is not a paid resource (HEAD: no body to transfer). */
async function requirementsOf(client: ChannelClient, url: URL): Promise<PaymentRequirements | undefined> {
  const response = await client.fetch(url.href, { method: "HEAD", cache: "no-store", credentials: "same-origin" });
  return response.status === 402 ? decodePaymentResponseHeaders(response.headers).requirements : undefined;
}

/** Navigates: a reload for the current document (its history entry becomes the paid page), else a new entry. */
function go(
  location: Pick<Location, "href" | "assign" | "reload">,
  target: URL,
  how: NavigatePaidReturnType,
): NavigatePaidReturnType {
  const current = new URL(location.href);
  current.hash = "";
  const bare = new URL(target.href);
  bare.hash = "";
  if (current.href === bare.href) location.reload();
  else location.assign(target.href);
  return how;
}
