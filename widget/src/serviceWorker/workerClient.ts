import {
  type ChannelLock,
  type ChannelStorage,
  createPaymentClient,
  defaultLock,
  indexedDbStorage,
  type PaymentClient,
} from "@micro-raiden/web-client";
import { balanceProofTypedData } from "@micro-raiden/web-client/protocol";
import { type Address, type Hex, hashTypedData, type LocalAccount, type TypedDataDefinition } from "viem";
import type { NavigationVoucher, PaymentGrant } from "./workerMessages.ts";

/**
 * A payment client for the worker (the web-client's `createPaymentClient`: no chain, no viem clients), on the pages' own channel storage (`indexedDbStorage()`, the same database) and
 * lock (Web Locks, shared by every tab and the worker of the origin), so a payment here and one in a tab never sign
 * conflicting balances.
 *
 * The worker has no wallet and no chain access. It signs with a channel's session key (`grant`) or presents the one
 * proof the wallet signed for this navigation (`voucher`); its account refuses every other signature. Whatever needs
 * more (opening or topping up a channel, waiting for confirmations, re-reading a channel from the chain) is beyond
 * `fetchWithStoredChannel`, and the caller passes the 402 to the page, whose paywall has the wallet.
 */
export function workerClient(
  parameters: {
    fetch: typeof globalThis.fetch;
    /** Default: a new `indexedDbStorage()`. The worker passes one it keeps, whose database stays open. */
    storage?: ChannelStorage | undefined;
    /** Default: `defaultLock()`. */
    lock?: ChannelLock | undefined;
  } & ({ grant: PaymentGrant; voucher?: undefined } | { voucher: NavigationVoucher; grant?: undefined }),
): PaymentClient {
  const { grant, voucher } = parameters;
  const chainId = grant?.chainId ?? voucher?.chainId;
  const sender = grant?.sender ?? voucher?.payment.sender;
  if (sender === undefined || chainId === undefined) throw new Error("A worker client needs a grant or a voucher.");
  return createPaymentClient({
    account: voucher ? voucherAccount(voucher) : refusingAccount(sender),
    chainId,
    storage: parameters.storage ?? indexedDbStorage(),
    lock: parameters.lock ?? defaultLock(),
    // With a voucher, the "wallet" signature is the voucher's; with a grant, session keys only.
    signing: voucher ? "wallet" : "session",
    policy: grant?.policy ?? {},
    fetch: parameters.fetch,
  });
}

function refuse(): never {
  throw new Error("The payment worker signs balance proofs with session keys only.");
}

// Accounts made here rather than by viem's toAccount, whose address check the grant's and voucher's validation
// already made (workerMessages): the worker's bytes are budgeted.
function refusingAccount(address: Address): LocalAccount {
  return localAccount(address, refuse);
}

function localAccount(address: Address, signTypedData: LocalAccount["signTypedData"]): LocalAccount {
  return {
    address,
    publicKey: "0x",
    signMessage: refuse,
    signTransaction: refuse,
    signTypedData,
    source: "custom",
    type: "local",
  };
}

/** An account whose only signature is the voucher's, and only for exactly the typed data the wallet signed. */
function voucherAccount(voucher: NavigationVoucher) {
  const { payment, chainId } = voucher;
  const signed = hashTypedData(
    balanceProofTypedData(
      { chainId, contract: payment.contract },
      { sender: payment.sender, receiver: payment.receiver, openBlock: payment.openBlock, balance: payment.balance },
    ),
  );
  // A balance the voucher does not cover (another tab paid meanwhile, or the price changed) is refused, and the
  // reader sees the paywall again rather than a proof nobody signed.
  return localAccount(payment.sender, async (typedData): Promise<Hex> => {
    if (hashTypedData(typedData as TypedDataDefinition) !== signed) {
      throw new Error("The wallet's proof for this navigation does not cover this payment.");
    }
    return payment.signature;
  });
}
