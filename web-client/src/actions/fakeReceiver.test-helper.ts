// Test doubles for the 402 exchange without a chain: a receiver behind msw that keeps per-channel state and checks
// real EIP-712 signatures as a real receiver does, a JSON-RPC chain that only knows its chain id, its block number
// and getChannelInfo, and a channel client wired to both.
import { type HttpHandler, HttpResponse, http } from "msw";
import {
  type Address,
  custom,
  decodeFunctionData,
  encodeFunctionResult,
  type Hex,
  isAddressEqual,
  type LocalAccount,
  toHex,
  zeroAddress,
  zeroHash,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { connectedAddress } from "../client/connectedAddress.ts";
import { createChannelClient, type SpendingPolicy } from "../client/createChannelClient.ts";
import type { PaymentClient } from "../client/PaymentClient.ts";
import type { ChannelLock } from "../locks/ChannelLock.ts";
import { memoryLock } from "../locks/memoryLock.ts";
import {
  type ChannelEcho,
  channelManagerAbi,
  decodePaymentHeaders,
  encodePaymentResponseHeaders,
  MalformedHeaderError,
  type Payment,
  type PaymentFailure,
  type PaymentFailureCode,
  type PaymentRequirements,
  paymentFailureMessages,
  verifyBalanceProof,
} from "../protocol/index.ts";
import type { ChannelKey, ChannelStorage, StoredChannel } from "../storage/ChannelStorage.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";

/** Hardhat's well-known deployment and account addresses: valid checksummed addresses with no meaning here. */
export const addresses = {
  contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  receiver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  otherReceiver: "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC",
} as const satisfies Record<string, Address>;

export const chainId = 31337;
export const price = 1000n;
export const origin = "http://paywall.test";

export const requirements: PaymentRequirements = {
  gatewayPath: "/api/1",
  receiver: addresses.receiver,
  contract: addresses.contract,
  token: addresses.token,
  chainId,
  price,
};

// ---------------------------------------------------------------------------------------------------------------
// The chain

type OnChainChannel = { deposit: bigint; withdrawn: bigint; settleBlock: bigint; signer: Address };

/**
 * A JSON-RPC endpoint for viem's `custom` transport: eth_chainId (31337), eth_blockNumber (a counter; with
 * `mineOnPoll` every read of it mines one block, as if blocks kept coming while the client polls) and eth_call of
 * the channel manager's getChannelInfo (from `channels`, all zeros for an unknown channel). Anything else throws.
 */
export function fakeChain(options: { blockNumber?: bigint; mineOnPoll?: boolean } = {}) {
  const channels = new Map<string, OnChainChannel>();
  const onChainKey = (sender: Address, receiver: Address, openBlock: bigint) =>
    `${sender}:${receiver}:${openBlock}`.toLowerCase();
  const chain = {
    blockNumber: options.blockNumber ?? 100n,
    mineOnPoll: options.mineOnPoll ?? false,
    /** Every JSON-RPC method called, in order. */
    calls: [] as string[],
    mine(blocks = 1n) {
      chain.blockNumber += blocks;
    },
    setChannel(sender: Address, receiver: Address, openBlock: bigint, channel: Partial<OnChainChannel>) {
      channels.set(onChainKey(sender, receiver, openBlock), {
        deposit: 0n,
        withdrawn: 0n,
        settleBlock: 0n,
        signer: zeroAddress,
        ...channel,
      });
    },
    async request({ method, params }: { method: string; params?: unknown }): Promise<unknown> {
      chain.calls.push(method);
      switch (method) {
        case "eth_chainId":
          return toHex(chainId);
        case "eth_blockNumber": {
          const current = chain.blockNumber;
          if (chain.mineOnPoll) chain.mine();
          return toHex(current);
        }
        case "eth_call": {
          const [call] = params as [{ data?: Hex; input?: Hex }];
          const data = call.data ?? call.input;
          if (!data) throw new Error("fake chain: eth_call without data");
          const decoded = decodeFunctionData({ abi: channelManagerAbi, data });
          if (decoded.functionName !== "getChannelInfo") {
            throw new Error(`fake chain: unsupported call ${decoded.functionName}`);
          }
          const [sender, receiver, openBlock] = decoded.args;
          const found = channels.get(onChainKey(sender, receiver, openBlock));
          return encodeFunctionResult({
            abi: channelManagerAbi,
            functionName: "getChannelInfo",
            result: [
              zeroHash,
              found?.deposit ?? 0n,
              found?.withdrawn ?? 0n,
              found?.settleBlock ?? 0n,
              0n,
              found?.signer ?? zeroAddress,
            ],
          });
        }
        default:
          throw new Error(`fake chain: unsupported method ${method}`);
      }
    },
  };
  return chain;
}

export type FakeChain = ReturnType<typeof fakeChain>;

// ---------------------------------------------------------------------------------------------------------------
// The client

export type TestClientParameters = {
  account?: LocalAccount | undefined;
  chain?: FakeChain | undefined;
  storage?: ChannelStorage | undefined;
  lock?: ChannelLock | undefined;
  policy?: SpendingPolicy | undefined;
  signing?: "session" | "wallet" | undefined;
};

/** A channel client with a private key, a fake chain, memory storage and a memory lock (unless given others). */
export async function testClient(parameters: TestClientParameters = {}) {
  const account = parameters.account ?? privateKeyToAccount(generatePrivateKey());
  const chain = parameters.chain ?? fakeChain();
  const storage = parameters.storage ?? memoryStorage();
  const lock = parameters.lock ?? memoryLock();
  const client = createChannelClient({
    account,
    transport: custom({ request: chain.request }, { retryCount: 0 }),
    storage,
    lock,
    policy: parameters.policy,
    signing: parameters.signing,
  });
  return { client, account, chain, storage, lock };
}

/**
 * Puts an open channel from the client's account to the requirements' receiver straight into storage, with a fresh
 * session key as its delegated signer, so payments are signed without any chain call.
 */
export async function storeChannel(
  client: PaymentClient,
  overrides: Partial<StoredChannel> = {},
): Promise<StoredChannel & { sessionKey: Hex; delegatedSigner: Address }> {
  const sessionKey = overrides.sessionKey ?? generatePrivateKey();
  const channel = {
    chainId,
    contract: requirements.contract,
    token: requirements.token,
    sender: connectedAddress(client),
    receiver: requirements.receiver,
    openBlock: 90n,
    deposit: 100n * price,
    balance: 0n,
    balanceSignature: undefined,
    settleBlock: undefined,
    state: "open" as const,
    ...overrides,
    sessionKey,
    delegatedSigner: overrides.delegatedSigner ?? privateKeyToAccount(sessionKey).address,
  };
  await client.storage.put(channel);
  return channel;
}

/** The stored balance of a channel (throws if the channel is gone). */
export async function storedBalance(client: PaymentClient, key: ChannelKey): Promise<bigint> {
  const stored = await client.storage.get(key);
  if (!stored) throw new Error(`channel ${key.openBlock} is not stored`);
  return stored.balance;
}

// ---------------------------------------------------------------------------------------------------------------
// The receiver

/** One request the receiver saw, and what it answered. */
export type ReceiverRecord = {
  method: string;
  url: string;
  headers: Headers;
  body: string;
  /** The payment the request carried, when it carried one that decoded. */
  payment: Payment | undefined;
  /** The answer's status (set once answered). */
  status: number | undefined;
  /** The failure the receiver answered with, on a refusal. */
  failure: PaymentFailureCode | undefined;
};

/** What the receiver keeps per channel: what it knows from the chain and the last payment it accepted. */
export type ReceiverChannel = {
  sender: Address;
  openBlock: bigint;
  deposit: bigint;
  delegatedSigner: Address | undefined;
  balance: bigint;
  signature: Hex | undefined;
};

/** Which response the receiver is about to send: the first 402, a refusal of a payment, or an acceptance. */
export type ResponseStage = "payment_required" | "refused" | "accepted";

export type FakeReceiverOptions = {
  requirements?: PaymentRequirements | undefined;
  /** Blocks the channel still needs before payments on it count (0 = confirmed). Default: always confirmed. */
  unconfirmed?: ((payment: Payment) => bigint) | undefined;
  /**
   * Called on every request that carries a payment, before the receiver checks it. A Response returned is sent
   * as it is (the receiver's state does not change); undefined lets the receiver answer.
   */
  intercept?: ((record: ReceiverRecord) => Response | undefined | Promise<Response | undefined>) | undefined;
  /** Edits the payment headers of a response before it is sent: for malformed, duplicated or extra headers. */
  tamper?: ((headers: Headers, stage: ResponseStage) => void) | undefined;
};

/**
 * An msw handler for every request under `origin` that acts as a receiver: an unpaid request gets a 402 with the
 * requirements; a paid one is decoded (400 when malformed), checked against the channel (402 nonexisting_channel),
 * its confirmations (402 insufficient_confirmations), its signature by the sender or the delegated signer and the
 * deposit (402 invalid_balance_proof) and the amount, which must be exactly the last accepted balance plus the
 * price (402 invalid_amount). A refusal carries exactly one failure header and an echo of the last accepted balance
 * and proof; an acceptance is a 200 with the echo of the new balance. Every request is recorded.
 */
export function fakeReceiver(options: FakeReceiverOptions = {}) {
  const terms = options.requirements ?? requirements;
  const channels = new Map<string, ReceiverChannel>();
  const channelKey = (sender: Address, openBlock: bigint) => `${sender.toLowerCase()}:${openBlock}`;
  const requests: ReceiverRecord[] = [];

  const echoOf = (channel: ReceiverChannel): ChannelEcho => ({
    sender: channel.sender,
    balance: channel.balance,
    signature: channel.signature,
  });

  const respond = (
    record: ReceiverRecord,
    stage: ResponseStage,
    status: number,
    body: unknown,
    echo?: ChannelEcho,
    failure?: PaymentFailure,
  ) => {
    const headers = new Headers(encodePaymentResponseHeaders({ requirements: terms, echo, failure }));
    options.tamper?.(headers, stage);
    record.status = status;
    record.failure = failure?.code;
    return HttpResponse.json(body as never, { status, headers });
  };

  const refuse = (record: ReceiverRecord, code: PaymentFailureCode, value: bigint, channel?: ReceiverChannel) =>
    respond(
      record,
      "refused",
      402,
      { error: { code, message: paymentFailureMessages[code] } },
      channel ? echoOf(channel) : undefined,
      { code, value },
    );

  const handler: HttpHandler = http.all(`${origin}/*`, async ({ request }) => {
    const record: ReceiverRecord = {
      method: request.method,
      url: request.url,
      headers: new Headers(request.headers),
      body: await request.clone().text(),
      payment: undefined,
      status: undefined,
      failure: undefined,
    };
    requests.push(record);

    let payment: Payment | undefined;
    try {
      payment = decodePaymentHeaders(request.headers);
    } catch (error) {
      if (!(error instanceof MalformedHeaderError)) throw error;
      record.status = 400;
      return HttpResponse.json({ error: { code: "malformed_header", message: error.message } }, { status: 400 });
    }
    if (!payment) {
      return respond(record, "payment_required", 402, { error: { code: "payment_required" } });
    }
    record.payment = payment;

    const intercepted = await options.intercept?.(record);
    if (intercepted) {
      record.status = intercepted.status;
      return intercepted;
    }

    if (!isAddressEqual(payment.contract, terms.contract) || !isAddressEqual(payment.receiver, terms.receiver)) {
      record.status = 400;
      return HttpResponse.json({ error: { code: "wrong_receiver" } }, { status: 400 });
    }
    const channel = channels.get(channelKey(payment.sender, payment.openBlock));
    if (!channel) return refuse(record, "nonexisting_channel", 1n);
    const blocks = options.unconfirmed?.(payment) ?? 0n;
    if (blocks > 0n) return refuse(record, "insufficient_confirmations", blocks, channel);

    const valid =
      payment.balance <= channel.deposit &&
      (await verifyBalanceProof({
        domain: { chainId: terms.chainId, contract: terms.contract },
        message: {
          sender: payment.sender,
          receiver: terms.receiver,
          openBlock: payment.openBlock,
          balance: payment.balance,
        },
        signature: payment.signature,
        delegatedSigner: channel.delegatedSigner,
      }));
    if (!valid) return refuse(record, "invalid_balance_proof", 1n, channel);
    // No await between this check and the update: two payments in flight cannot both be accepted for one balance.
    if (payment.balance !== channel.balance + terms.price) return refuse(record, "invalid_amount", 1n, channel);
    channel.balance = payment.balance;
    channel.signature = payment.signature;
    return respond(record, "accepted", 200, { content: `paid ${payment.balance}` }, echoOf(channel));
  });

  return {
    handler,
    requests,
    /** The receiver's view of a channel (a live object: tests may edit it). */
    channel(sender: Address, openBlock: bigint): ReceiverChannel | undefined {
      return channels.get(channelKey(sender, openBlock));
    },
    /** Makes the receiver know a channel, as it would from the chain; optionally with a payment already accepted. */
    addChannel(
      channel: Pick<StoredChannel, "sender" | "openBlock" | "deposit" | "delegatedSigner">,
      accepted: { balance: bigint; signature: Hex | undefined } = { balance: 0n, signature: undefined },
    ): ReceiverChannel {
      const known: ReceiverChannel = {
        sender: channel.sender,
        openBlock: channel.openBlock,
        deposit: channel.deposit,
        delegatedSigner: channel.delegatedSigner,
        ...accepted,
      };
      channels.set(channelKey(channel.sender, channel.openBlock), known);
      return known;
    },
    /** Requests that carried a payment. */
    paid(): ReceiverRecord[] {
      return requests.filter((record) => record.payment !== undefined);
    },
    /** Payments the receiver accepted, in the order it accepted them. */
    accepted(): Payment[] {
      return requests.flatMap((record) => (record.payment && record.status === 200 ? [record.payment] : []));
    },
  };
}

export type FakeReceiver = ReturnType<typeof fakeReceiver>;

/** A balance proof for `balance` on `channel`, signed by `signer` (the session key, or a stranger). */
export function signProof(channel: StoredChannel, balance: bigint, signer: LocalAccount): Promise<Hex> {
  return signer.signTypedData({
    domain: { name: "MicroRaiden", version: "1", chainId: channel.chainId, verifyingContract: channel.contract },
    types: {
      BalanceProof: [
        { name: "sender", type: "address" },
        { name: "receiver", type: "address" },
        { name: "openBlock", type: "uint64" },
        { name: "balance", type: "uint256" },
      ],
    },
    primaryType: "BalanceProof",
    message: { sender: channel.sender, receiver: channel.receiver, openBlock: channel.openBlock, balance },
  });
}
