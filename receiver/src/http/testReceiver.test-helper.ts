// Shared set-up for the HTTP tests: a receiver on an in-memory (or temp-file) SQLite store, a small test site, channel
// state fabricated the way the chain watcher writes it, and senders that sign real EIP-712 balance proofs.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  balanceProofTypedData,
  type CloseRequestBody,
  closeRequestTypedData,
  type Deployment,
  type DomainParameters,
  decodeErrorBody,
  decodePaymentResponseHeaders,
  encodeErrorBody,
  encodePaymentHeaders,
  type Payment,
  paymentFailures,
} from "@micro-raiden/web-client/protocol";
import type { Hono } from "hono";
import {
  type Address,
  createPublicClient,
  custom,
  decodeFunctionData,
  encodeAbiParameters,
  type Hex,
  type LocalAccount,
  numberToHex,
  type PublicClient,
  parseEther,
  toHex,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { Operator } from "../chain/operator.ts";
import type { Receiver } from "../Receiver.ts";
import { createReceiverCore } from "../receiver/createReceiverCore.ts";
import { receiverFromCore } from "../receiver/receiverFromCore.ts";
import type { ProofStore } from "../store/ProofStore.ts";
import type { ChainEvent, ChannelEventName, ProofRecord } from "../store/records.ts";
import { sqliteStore } from "../store/sqliteStore.ts";
import { type ReceiverRoutesContext, receiverApp } from "./receiverApp.ts";

export const chainId = 31337;
export const channelManager: Address = "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512";
export const token: Address = "0x5FbDB2315678afecb367f032d93F642f64180aa3";
export const deployment: Deployment = { chainId, channelManager, token, deploymentBlock: 1, challengePeriod: 500 };
export const domain: DomainParameters = { chainId, contract: channelManager };
export const operatorToken = "operator-secret-token-for-tests";

export const newAccount = (): LocalAccount => privateKeyToAccount(generatePrivateKey());

/** The test site's paid articles (`/articles/<id>`); `/echodyn/<text>` costs its length × pricePerCharacter. */
export const articles = [
  { id: "1", title: "First test article", price: parseEther("0.001") },
  { id: "2", title: "Second test article", price: parseEther("0.002") },
  { id: "3", title: "Third test article", price: parseEther("0.005") },
] as const;
export const articlePrice = articles[0].price;
export const pricePerCharacter = parseEther("0.0001");

/** A small site on the receiver, like a site owner's: a free page, paid articles, a dynamic price. */
export function testRoutes(app: Hono, { paywall }: ReceiverRoutesContext) {
  const find = (id: string | undefined) => articles.find((a) => a.id === id);
  app.get("/free", (c) => c.text("free"));
  app.get(
    "/articles/:id",
    async (c, next) =>
      find(c.req.param("id")) ? next() : c.json(encodeErrorBody("not_found", "No such article."), 404),
    paywall({
      price: (c) => find(c.req.param("id"))?.price ?? articlePrice,
      teaser: (c) => `<h1>${find(c.req.param("id"))?.title ?? ""}</h1>`,
    }),
    (c) => c.html(`<!doctype html><title>paid</title><h1>${find(c.req.param("id"))?.title ?? ""}</h1>`),
  );
  // One price for every page of the route: the paywall announces it (RDN-Price-Route).
  app.get("/fixed/:id", paywall({ price: articlePrice }), (c) => c.text(`fixed ${c.req.param("id")}`));
  app.get(
    "/echodyn/:text",
    paywall({ price: (c) => BigInt(Math.max(1, (c.req.param("text") ?? "").length)) * pricePerCharacter }),
    (c) => c.text(c.req.param("text")),
  );
}

/**
 * A viem public client over a fake JSON-RPC: answers the token's `balanceOf` (the only call the app makes, for
 * GET /stats) with `liquidBalance`, and records every call.
 */
export function fakePublicClient(liquidBalance: bigint) {
  const calls: { method: string; params: unknown }[] = [];
  const request = async ({ method, params }: { method: string; params?: unknown }) => {
    calls.push({ method, params });
    if (method === "eth_chainId") return numberToHex(chainId);
    if (method === "eth_call") return encodeAbiParameters([{ type: "uint256" }], [liquidBalance]);
    throw new Error(`fake RPC: unexpected ${method}`);
  };
  const client: PublicClient = createPublicClient({ transport: custom({ request }) });
  return { client, calls };
}

/** The decoded `balanceOf` call data of an eth_call made through {@link fakePublicClient}. */
export function decodeBalanceOfCall(params: unknown): { to: string; owner: unknown } {
  const [call] = params as [{ to: string; data: Hex }];
  const { functionName, args } = decodeFunctionData({
    abi: [
      {
        type: "function",
        name: "balanceOf",
        stateMutability: "view",
        inputs: [{ name: "owner", type: "address" }],
        outputs: [{ type: "uint256" }],
      },
    ],
    data: call.data,
  });
  if (functionName !== "balanceOf") throw new Error("not balanceOf");
  return { to: call.to, owner: args[0] };
}

/** A channel fabricated from chain events: the sender's key, its optional session key, and where it lives. */
export type TestChannel = {
  sender: LocalAccount;
  openBlock: bigint;
  session: LocalAccount | undefined;
  deposit: bigint;
};

export type TestReceiverOptions = {
  /** A store to use (default: a fresh in-memory SQLite store). */
  store?: ProofStore;
  confirmations?: number;
  reorderWindowMs?: number;
  liquidBalance?: bigint;
  /** Operator token for the REST API (default: {@link operatorToken}); null for none. */
  operatorToken?: string | null;
  operator?: Operator;
  /** The receiver's key (default: a fresh one); pass the first one's to restart a receiver on its store. */
  account?: LocalAccount;
  repeatWindowMs?: number;
  /** Channels the book keeps in memory at most (default the receiver's). */
  maxChannels?: number;
  /** How long a paid request may hold its channel (default the receiver's, 30 s). */
  requestTimeoutMs?: number;
  now?: () => number;
  /** The head the chain starts at (default 100). */
  head?: bigint;
};

export type TestReceiver = ReturnType<typeof createTestReceiver>;

/** A receiver, its demo app, and helpers to fabricate channels and payments for it. */
export function createTestReceiver(options: TestReceiverOptions = {}) {
  const store = options.store ?? sqliteStore(":memory:");
  const account = options.account ?? newAccount();
  const core = createReceiverCore({
    store,
    account,
    deployment,
    confirmations: options.confirmations,
    reorderWindowMs: options.reorderWindowMs,
    repeatWindowMs: options.repeatWindowMs,
    maxChannels: options.maxChannels,
    requestTimeoutMs: options.requestTimeoutMs,
    now: options.now,
  });
  const rpc = fakePublicClient(options.liquidBalance ?? parseEther("42"));
  const receiver: Receiver = receiverFromCore(core, { publicClient: rpc.client, operator: options.operator });
  const token = options.operatorToken === null ? undefined : (options.operatorToken ?? operatorToken);
  const app: Hono = receiverApp({ receiver, operatorToken: token, routes: testRoutes });
  let head = options.head ?? 100n;
  core.setHead(head);
  let logIndex = 0;

  /** Writes one event the way the watcher does: the block and its events to the store, then into the book. */
  function emit(
    name: ChannelEventName,
    channel: { sender: Address; openBlock: bigint },
    block: bigint,
    extra: { amounts?: Record<string, bigint>; signer?: Address | undefined; settleBlock?: bigint } = {},
  ): ChainEvent {
    const event: ChainEvent = {
      blockNumber: block,
      blockHash: toHex(block, { size: 32 }),
      logIndex: logIndex++,
      transactionHash: toHex(BigInt(logIndex) + 2n ** 128n, { size: 32 }),
      name,
      sender: channel.sender,
      openBlock: channel.openBlock,
      amounts: extra.amounts ?? {},
      signer: extra.signer,
      settleBlock: extra.settleBlock,
    };
    store.appendBlocks([{ number: block, hash: event.blockHash }], [event]);
    core.book.apply(event);
    return event;
  }

  /** Moves the head the watcher has processed (confirmations count from here). */
  function setHead(block: bigint) {
    head = block;
    store.appendBlocks([{ number: block, hash: toHex(block, { size: 32 }) }], []);
    core.setHead(block);
  }

  let nextOpenBlock = 10n;

  /** Opens a channel (ChannelCreated) at `openBlock` (default: a fresh one below the head). */
  function openChannel(
    parameters: { sender?: LocalAccount; deposit?: bigint; openBlock?: bigint; session?: LocalAccount | boolean } = {},
  ): TestChannel {
    const sender = parameters.sender ?? newAccount();
    const session =
      parameters.session === true ? newAccount() : parameters.session === false ? undefined : parameters.session;
    const openBlock = parameters.openBlock ?? nextOpenBlock++;
    const deposit = parameters.deposit ?? parseEther("1");
    emit("ChannelCreated", { sender: sender.address, openBlock }, openBlock, {
      amounts: { deposit },
      signer: session?.address,
    });
    return { sender, openBlock, session, deposit };
  }

  function topUp(channel: TestChannel, added: bigint, block: bigint) {
    channel.deposit += added;
    emit("ChannelToppedUp", id(channel), block, { amounts: { added, deposit: channel.deposit } });
  }

  function withdrawn(channel: TestChannel, total: bigint, block: bigint) {
    emit("ChannelWithdrawn", id(channel), block, { amounts: { amount: total, withdrawn: total } });
  }

  function requestClose(channel: TestChannel, balance: bigint, block: bigint) {
    emit("ChannelCloseRequested", id(channel), block, {
      amounts: { balance },
      settleBlock: block + BigInt(deployment.challengePeriod),
    });
  }

  function settle(channel: TestChannel, balance: bigint, block: bigint) {
    emit("ChannelSettled", id(channel), block, {
      amounts: { balance, receiverPayout: balance, senderRefund: channel.deposit - balance },
    });
  }

  /**
   * A payment on `channel` at cumulative `balance`, signed by the sender (or `signer`). `signed` overrides what is
   * signed (another channel, contract or chain) while the headers still name `channel`.
   */
  async function sign(
    channel: TestChannel,
    balance: bigint,
    overrides: {
      signer?: LocalAccount;
      signed?: { domain?: Partial<DomainParameters>; openBlock?: bigint; receiver?: Address; sender?: Address };
    } = {},
  ): Promise<Payment> {
    const signer = overrides.signer ?? channel.sender;
    const signature = await signer.signTypedData(
      balanceProofTypedData(
        { ...domain, ...overrides.signed?.domain },
        {
          sender: overrides.signed?.sender ?? channel.sender.address,
          receiver: overrides.signed?.receiver ?? receiver.address,
          openBlock: overrides.signed?.openBlock ?? channel.openBlock,
          balance,
        },
      ),
    );
    return {
      contract: channelManager,
      receiver: receiver.address,
      sender: channel.sender.address,
      openBlock: channel.openBlock,
      balance,
      signature,
    };
  }

  /**
   * A DELETE close request for `channel` at `balance` with its balance proof `balanceSignature`: a deadline (default
   * ten minutes ahead) and the request signed by the channel's session key, or its sender, or `signer`.
   */
  async function closeRequestBody(
    channel: TestChannel,
    balance: bigint,
    balanceSignature: Hex,
    options: { signer?: LocalAccount; deadline?: bigint } = {},
  ): Promise<CloseRequestBody> {
    const deadline = options.deadline ?? BigInt(Math.floor(Date.now() / 1000) + 600);
    const signer = options.signer ?? channel.session ?? channel.sender;
    const closeRequestSignature = await signer.signTypedData(
      closeRequestTypedData(domain, {
        sender: channel.sender.address,
        receiver: receiver.address,
        openBlock: channel.openBlock,
        balance,
        deadline,
      }),
    );
    return { balance, balanceSignature, deadline, closeRequestSignature };
  }

  /** GET `path` with the payment's headers (plus `headers`). */
  function pay(path: string, payment: Payment, headers: Record<string, string> = {}) {
    return app.request(path, { headers: { ...encodePaymentHeaders(payment), ...headers } });
  }

  /** The request headers of a payment. */
  function paymentHeaders(payment: Payment): Record<string, string> {
    return encodePaymentHeaders(payment);
  }

  /** Signs a payment at `balance` and sends it to `path`. */
  async function signAndPay(path: string, channel: TestChannel, balance: bigint) {
    return pay(path, await sign(channel, balance));
  }

  /** The proofs in the store, sorted for comparison. */
  function storedProofs(): ProofRecord[] {
    return sortProofs(store.loadProofs());
  }

  function storedProof(channel: TestChannel): ProofRecord | undefined {
    return store.loadProofs().find((p) => p.sender === channel.sender.address && p.openBlock === channel.openBlock);
  }

  return {
    store,
    account,
    core,
    receiver,
    app,
    rpc,
    operatorToken: token,
    head: () => head,
    setHead,
    emit,
    openChannel,
    topUp,
    withdrawn,
    requestClose,
    settle,
    sign,
    closeRequestBody,
    pay,
    paymentHeaders,
    signAndPay,
    storedProofs,
    storedProof,
  };
}

function id(channel: TestChannel) {
  return { sender: channel.sender.address, openBlock: channel.openBlock };
}

export function sortProofs(proofs: readonly ProofRecord[]): ProofRecord[] {
  return [...proofs].sort((a, b) => `${a.sender}:${a.openBlock}`.localeCompare(`${b.sender}:${b.openBlock}`, "en"));
}

/** A temp directory for file-backed stores; `cleanup` removes it. */
export function tempDirectory() {
  const path = mkdtempSync(join(tmpdir(), "micro-raiden-http-test-"));
  return { path, cleanup: () => rmSync(path, { recursive: true, force: true }) };
}

/** The failure headers (RDN-Insufficient-Confirmations, …) a response carries. */
export function failureHeadersOf(response: Response): string[] {
  return Object.values(paymentFailures)
    .map((f) => f.header)
    .filter((header) => response.headers.has(header));
}

/** Decodes a 402's headers, checks it carries exactly one failure header, and returns them with the JSON body. */
export async function decodeFailure(response: Response) {
  const body = decodeErrorBody(await response.json());
  const decoded = decodePaymentResponseHeaders(response.headers);
  return { ...decoded, body, failureHeaders: failureHeadersOf(response) };
}

/** Fisher–Yates with a seeded generator, so a "shuffled" order is the same on every run. */
export function shuffled<T>(items: readonly T[], seed = 0x5eed): T[] {
  const out = [...items];
  let state = seed >>> 0;
  const random = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}
