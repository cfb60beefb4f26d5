import type { Account, Chain, Transport, WalletClient } from "viem";

/** The wallet client every part of a receiver sends its transactions with. */
export type ReceiverWalletClient = WalletClient<Transport, Chain | undefined, Account>;

/**
 * The receiver's one nonce source: `walletClient` with `writeContract` and `sendTransaction` taking turns, each
 * running alone from reading the account's pending nonce to handing the signed transaction to the node. The parts
 * that send with the receiver's key (auto-challenges, the operator's withdrawals and closes, credit claims, sponsored
 * opens) share one, so two of them never pick the same nonce and an auto-challenge is never held up by a collision.
 * A send that fails before the node has it uses up no nonce. Only the sending takes turns: receipts are awaited by
 * each part on its own.
 *
 * Not viem's `nonceManager`: it hands out a nonce before estimating gas, so a send that fails estimation while
 * another is in flight leaves a gap that stalls the later one, and it never goes below its last nonce, so one
 * transaction the node dropped would stall every later one.
 *
 * `beforeSend` runs in the turn, right before each send, and stops it by throwing: a receiver sharing its database with
 * others asks there whether it is still their leader (`Leadership.confirm`), so a deposed one sends nothing.
 *
 * @example
 * import { createWalletClient, http } from "viem";
 * const walletClient = serialWalletClient(createWalletClient({ account, transport: http(rpcUrl) }));
 */
export function serialWalletClient(
  walletClient: ReceiverWalletClient,
  options: { beforeSend?: (() => Promise<void>) | undefined } = {},
): ReceiverWalletClient {
  const { beforeSend } = options;
  let last: Promise<unknown> = Promise.resolve();
  function inTurn<T>(send: () => Promise<T>): Promise<T> {
    const sent = last.then(async () => {
      await beforeSend?.();
      return send();
    });
    last = sent.catch(() => undefined);
    return sent;
  }
  return {
    ...walletClient,
    sendTransaction: (parameters) => inTurn(() => walletClient.sendTransaction(parameters)),
    writeContract: (parameters) => inTurn(() => walletClient.writeContract(parameters)),
  };
}
