import {
  channelManagerAbi,
  type Deployment,
  eip3009TokenAbi,
  openAuthorizationTypedData,
  openByReceiveAuthorizationTypedData,
  openTermsNonce,
  type ReceiveAuthorizationOpenRequestBody,
  type RequestErrorCode,
  readTokenDomain,
  type SponsoredOpenKind,
  type SponsoredOpenRequest,
  type SponsoredOpenRequestBody,
  type SponsorOffer,
  type TokenDomain,
} from "@micro-raiden/web-client/protocol";
import {
  type Account,
  BaseError,
  ContractFunctionRevertedError,
  type Hash,
  isAddressEqual,
  type PublicClient,
  parseEventLogs,
  parseSignature,
  recoverTypedDataAddress,
  type WalletClient,
  zeroAddress,
} from "viem";
import type { RateEvents } from "../store/RateEvents.ts";
import { type RateLimit, sponsoredOpenLimiter } from "./sponsoredOpenLimiter.ts";

/** The receiver's offer to open readers' channels and pay the gas (`startReceiver`'s `sponsor` option). */
export type SponsorOptions = {
  /** The smallest deposit a sponsored open may carry, in token base units: what a griefer must lock per open. */
  minDeposit: bigint;
  /** Sponsored opens per sender (default 3 a day). */
  perSender?: RateLimit | undefined;
  /** Sponsored opens per client IP address (default 10 an hour). */
  perClient?: RateLimit | undefined;
  /** The latest deadline accepted, in seconds after the chain's time (default 3600): none is held for long. */
  maxDeadlineAhead?: number | undefined;
};

/** What the endpoint answers: the mined channel, or why nothing was sent. */
export type SponsoredOpenResult =
  | { ok: true; transactionHash: Hash; openBlock: bigint }
  | {
      ok: false;
      status: 400 | 403 | 409 | 422 | 429 | 503;
      code: RequestErrorCode;
      message: string;
      /** For a 429 (or a 503): seconds until a retry can succeed. */
      retryAfter?: number | undefined;
    };

/** A receiver's sponsored opens: what its 402s offer, and the open itself. */
export type SponsoredOpener = {
  readonly offer: SponsorOffer;
  /**
   * Checks a request, sends `openOnBehalf` or `openByReceiveAuthorization` with the receiver's key, waits for its
   * receipt, and answers.
   */
  open(request: SponsoredOpenRequest, client: string): Promise<SponsoredOpenResult>;
  /** Channels this process opened for readers since it started (the operator's dashboard shows it). */
  opened(): number;
};

export type SponsoredOpenerParameters = SponsorOptions & {
  deployment: Deployment;
  /** The receiver's account: the channels' receiver and the sender of the transactions. */
  account: Account;
  publicClient: PublicClient;
  walletClient: WalletClient;
  /** Absolute path of the endpoint, for the offer. */
  path: string;
  /**
   * The requests taken, for the offer: `receive-authorization` only on a token with EIP-3009 (`sponsoredOpenKindsOf`),
   * `permit` on any (the token's own permit decides in the simulation).
   */
  kinds: readonly SponsoredOpenKind[];
  /** Brings the receiver's view of the chain up to date, so the new channel takes payments at once. */
  sync: () => Promise<void>;
  /** Where the rate limits count opens: the receiver's store, shared by every receiver on its database. */
  rateEvents: RateEvents;
};

/**
 * The sponsored open: every check that can refuse a request runs before anything is sent — the receiver's own token,
 * contract and address, the minimum deposit, the deadline, the sender's signature, its next nonce (for the
 * one-signature open: that the token has not used the authorization's nonce), the rate limits per sender and per
 * client, and a simulation of the transaction — so a refused request costs the receiver no gas. Both kinds of request
 * share those rules; only the signature and its nonce differ.
 * Transactions go through the receiver's one nonce source (its wallet client, `serialWalletClient`), and one sender
 * has at most one in flight.
 */
export function createSponsoredOpener(parameters: SponsoredOpenerParameters): SponsoredOpener {
  const { deployment, account, publicClient, walletClient, minDeposit } = parameters;
  if (minDeposit <= 0n) throw new Error("sponsor: minDeposit must be positive.");
  const limiter = sponsoredOpenLimiter(
    parameters.rateEvents,
    parameters.perSender ?? { limit: 3, windowMs: 86_400_000 },
    parameters.perClient ?? { limit: 10, windowMs: 3_600_000 },
  );
  const maxDeadlineAhead = BigInt(parameters.maxDeadlineAhead ?? 3600);
  const inFlight = new Set<string>();
  let openedCount = 0;
  const manager = { address: deployment.channelManager, abi: channelManagerAbi } as const;
  const refuse = (status: 400 | 403 | 409 | 422 | 429 | 503, code: RequestErrorCode, message: string) =>
    ({ ok: false, status, code, message }) as const;
  /** The refusal of an open the receiver could not send (no ether for gas, its node down): nobody's attempt. */
  const unsent = refuse(503, "sponsor_unavailable", "The receiver could not send the transaction.");

  async function check(request: SponsoredOpenRequest): Promise<SponsoredOpenResult | undefined> {
    if (!isAddressEqual(request.token, deployment.token)) {
      return refuse(400, "token_not_accepted", `This receiver sponsors opens in ${deployment.token} only.`);
    }
    if (!isAddressEqual(request.contract, deployment.channelManager)) {
      return refuse(400, "wrong_contract", `This receiver's channel manager is ${deployment.channelManager}.`);
    }
    if (!isAddressEqual(request.receiver, account.address)) {
      return refuse(400, "wrong_receiver", `This receiver is ${account.address}.`);
    }
    if (request.deposit < minDeposit) {
      return refuse(400, "deposit_too_small", `A sponsored open needs a deposit of at least ${minDeposit}.`);
    }
    // By the chain's clock, which is what the manager checks: the receiver's own may be minutes off it (a chain that
    // mines faster than a block a second runs ahead; a test chain may have been moved).
    const { timestamp } = await publicClient.getBlock({ blockTag: "pending" });
    const deadline = "validBefore" in request ? request.validBefore : request.deadline;
    if (deadline <= timestamp) {
      return refuse(400, "authorization_expired", `The deadline has passed: the chain's time is ${timestamp}.`);
    }
    if (deadline > timestamp + maxDeadlineAhead) {
      return refuse(
        400,
        "authorization_expired",
        `The deadline is more than ${maxDeadlineAhead} s ahead of the chain's time (${timestamp}).`,
      );
    }
    if ("receiveAuthorizationSignature" in request) {
      // What the offer did not name is refused before anything is read: a client was not told to sign it.
      if (!parameters.kinds.includes("receive-authorization")) {
        return refuse(422, "open_refused", "The token has no EIP-3009 authorizations: open with a permit instead.");
      }
      return checkReceiveAuthorization(request);
    }
    if (!parameters.kinds.includes("permit")) {
      return refuse(422, "open_refused", "This receiver sponsors opens by a receive authorization only.");
    }
    // A well-formed signature whose r is no curve point recovers nobody: viem throws.
    const signedBy = await recoverTypedDataAddress({
      ...openAuthorizationTypedData(
        { chainId: deployment.chainId, contract: deployment.channelManager },
        {
          sender: request.sender,
          receiver: request.receiver,
          deposit: request.deposit,
          signer: request.signer,
          nonce: request.nonce,
          deadline: request.deadline,
        },
      ),
      signature: request.authorizationSignature,
    }).catch(() => undefined);
    if (!signedBy || !isAddressEqual(signedBy, request.sender)) {
      return refuse(403, "invalid_authorization", "The open authorization is not signed by the sender.");
    }
    const expected = await publicClient.readContract({
      ...manager,
      functionName: "openingNonces",
      args: [request.sender],
    });
    if (request.nonce !== expected) {
      return refuse(409, "authorization_used", `The sender's next opening nonce is ${expected}, not ${request.nonce}.`);
    }
    return undefined;
  }

  /**
   * The one-signature open's own checks: the ReceiveWithAuthorization is the sender's, in the token's domain, over the
   * nonce of exactly these terms; and the token has not used (or seen canceled) that nonce.
   */
  async function checkReceiveAuthorization(
    request: ReceiveAuthorizationOpenRequestBody,
  ): Promise<SponsoredOpenResult | undefined> {
    const managerDomain = { chainId: deployment.chainId, contract: deployment.channelManager };
    const terms = {
      sender: request.sender,
      receiver: request.receiver,
      deposit: request.deposit,
      signer: request.signer,
      validBefore: request.validBefore,
    };
    const signedBy = await recoverTypedDataAddress({
      ...openByReceiveAuthorizationTypedData(await tokenDomain(), managerDomain, terms),
      signature: request.receiveAuthorizationSignature,
    }).catch(() => undefined);
    if (!signedBy || !isAddressEqual(signedBy, request.sender)) {
      return refuse(403, "invalid_authorization", "The receive authorization is not signed by the sender.");
    }
    const used = await publicClient
      .readContract({
        address: deployment.token,
        abi: eip3009TokenAbi,
        functionName: "authorizationState",
        args: [request.sender, openTermsNonce(managerDomain, terms)],
      })
      .catch(() => undefined);
    if (used === undefined) {
      return refuse(422, "open_refused", "The token has no EIP-3009 authorizations: open with a permit instead.");
    }
    if (used) return refuse(409, "authorization_used", "The token has already used or canceled this authorization.");
    return undefined;
  }

  /** The token's EIP-712 domain, read once (a failed read is tried again on the next request). */
  let domain: Promise<TokenDomain> | undefined;
  function tokenDomain(): Promise<TokenDomain> {
    domain ??= readTokenDomain(publicClient, deployment.token).catch((error: unknown) => {
      domain = undefined;
      throw error;
    });
    return domain;
  }

  /**
   * The rate limits, checked and taken in one step of the store (no other request, on any receiver sharing it, comes
   * between). Taken before simulating: a client whose opens fail on chain still spends its allowance of attempts.
   * Returns the refusal, or the function that gives both slots back (for an open the receiver itself could not send).
   */
  async function admit(sender: string, client: string): Promise<SponsoredOpenResult | (() => Promise<void>)> {
    if (inFlight.has(sender)) return limited("A sponsored open for this sender is in progress.", 1);
    inFlight.add(sender);
    let admission: Awaited<ReturnType<typeof limiter.admit>>;
    try {
      admission = await limiter.admit(sender, client);
    } catch {
      inFlight.delete(sender);
      return {
        ...refuse(503, "sponsor_unavailable", "The receiver's store cannot be reached right now."),
        retryAfter: 2,
      };
    }
    if ("waitMs" in admission) {
      inFlight.delete(sender);
      return limited("Too many sponsored opens for this sender or from this address.", admission.waitMs / 1000);
    }
    return admission.giveBack;
  }

  function limited(message: string, seconds: number): SponsoredOpenResult {
    return { ...refuse(429, "sponsor_limit", message), retryAfter: Math.max(1, Math.ceil(seconds)) };
  }

  /**
   * Simulates and sends. The wallet client is the receiver's one nonce source (`serialWalletClient`), so concurrent
   * opens, and the receiver's other transactions, never pick the same nonce. Returns the hash and the chain's head
   * just before sending.
   */
  async function send(request: SponsoredOpenRequest): Promise<{ hash: Hash; head: bigint } | SponsoredOpenResult> {
    try {
      const head = await publicClient.getBlockNumber({ cacheTime: 0 });
      // On the pending block, as the transaction will run: on the latest one, a sender's open right after its
      // previous one would collide with that one's channel (same sender, receiver and block number).
      if ("receiveAuthorizationSignature" in request) {
        const { request: call } = await publicClient.simulateContract({
          ...manager,
          account,
          functionName: "openByReceiveAuthorization",
          args: receiveAuthorizationArgs(request),
          blockTag: "pending",
        });
        return { hash: await walletClient.writeContract({ ...call, chain: null }), head };
      }
      const { request: call } = await publicClient.simulateContract({
        ...manager,
        account,
        functionName: "openOnBehalf",
        args: openOnBehalfArgs(request),
        blockTag: "pending",
      });
      return { hash: await walletClient.writeContract({ ...call, chain: null }), head };
    } catch (error) {
      const reverted = error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError);
      if (reverted instanceof ContractFunctionRevertedError) {
        // A token's revert string (USDC's blocklist, its pause: viem names those "Error"), or the manager's error.
        const reason = reverted.reason ?? reverted.data?.errorName ?? "a revert";
        return refuse(422, "open_refused", `The channel manager would refuse this open: ${reason}.`);
      }
      return unsent;
    }
  }

  function openOnBehalfArgs(request: SponsoredOpenRequestBody) {
    const permit = parseSignature(request.permitSignature);
    return [
      request.sender,
      request.receiver,
      request.deposit,
      request.signer,
      request.nonce,
      request.deadline,
      request.authorizationSignature,
      Number(permit.v ?? BigInt(permit.yParity + 27)),
      permit.r,
      permit.s,
    ] as const;
  }

  function receiveAuthorizationArgs(request: ReceiveAuthorizationOpenRequestBody) {
    const { v, yParity, r, s } = parseSignature(request.receiveAuthorizationSignature);
    return [
      request.sender,
      request.receiver,
      request.deposit,
      request.signer,
      request.validBefore,
      Number(v ?? BigInt(yParity + 27)),
      r,
      s,
    ] as const;
  }

  /**
   * The channel someone else opened with this very authorization between `fromBlock` and `toBlock`: anyone may copy a
   * pending openOnBehalf from the mempool and submit it first, and then ours reverts. The reader's channel exists all
   * the same; answering with it keeps the client from opening a second one.
   */
  async function openedByAnother(request: SponsoredOpenRequest, fromBlock: bigint, toBlock: bigint) {
    const logs = await publicClient.getContractEvents({
      ...manager,
      eventName: "ChannelCreated",
      args: { sender: request.sender, receiver: request.receiver },
      fromBlock,
      toBlock,
    });
    // The manager stores a sender naming itself as signer as no signer.
    const signer = isAddressEqual(request.signer, request.sender) ? zeroAddress : request.signer;
    const log = logs.find(
      (l) => l.args.deposit === request.deposit && l.args.signer && isAddressEqual(l.args.signer, signer),
    );
    return log?.args.openBlock === undefined
      ? undefined
      : { transactionHash: log.transactionHash, openBlock: log.args.openBlock };
  }

  return {
    offer: { path: parameters.path, minDeposit, kinds: parameters.kinds },
    opened: () => openedCount,
    async open(request, client) {
      const sender = request.sender.toLowerCase();
      const refused = await check(request);
      if (refused) return refused;
      const admitted = await admit(sender, client);
      if (typeof admitted !== "function") return admitted;
      try {
        const sent = await send(request);
        // Best effort: a slot the store could not give back only makes this client wait its window.
        if (sent === unsent) await admitted().catch(() => undefined);
        if ("ok" in sent) return sent;
        const receipt = await publicClient.waitForTransactionReceipt({ hash: sent.hash });
        const created = parseEventLogs({
          abi: channelManagerAbi,
          eventName: "ChannelCreated",
          logs: receipt.logs,
        }).find((log) => isAddressEqual(log.address, deployment.channelManager));
        const opened = created
          ? { transactionHash: sent.hash, openBlock: created.args.openBlock }
          : await openedByAnother(request, sent.head + 1n, receipt.blockNumber);
        if (!opened) {
          return refuse(503, "sponsor_unavailable", `The open transaction ${sent.hash} failed on chain.`);
        }
        // Counted also when another copied the transaction first: the reader's channel is open either way.
        openedCount++;
        await parameters.sync();
        return { ok: true, ...opened };
      } finally {
        inFlight.delete(sender);
      }
    },
  };
}
