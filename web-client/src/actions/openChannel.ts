import {
  type Address,
  type Chain,
  encodePacked,
  type Hash,
  type Hex,
  parseEventLogs,
  parseSignature,
  type TransactionReceipt,
  zeroAddress,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import type { ChannelClient, SigningMode } from "../client/createChannelClient.ts";
import { ensureChain } from "../client/ensureChain.ts";
import { mapContractError } from "../client/mapContractError.ts";
import { channelManagerAbi, demoTokenAbi, permitTypedData } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";

/** How a deposit reaches the manager: EIP-2612 permit + one transaction, ERC-1363 transferAndCall, or approve + call. */
export type DepositMethod = "permit" | "erc1363" | "approve";

/** Which channel manager to use: what a 402's requirements or the deployment file say. */
export type ManagerParameters = { chainId: number; contract: Address; token: Address };

export type OpenChannelParameters = ManagerParameters & {
  receiver: Address;
  /** Tokens to deposit, in base units. */
  deposit: bigint;
  /** Defaults to the client's signing mode. "session" generates a key and registers it as the delegated signer. */
  signing?: SigningMode | undefined;
  /** Defaults to the best the token supports: permit, then ERC-1363, then approve. */
  method?: DepositMethod | undefined;
};

const erc1363InterfaceId = "0xb0202a11";

/**
 * Opens a channel and stores it. One transaction when the token supports EIP-2612 (one signature + one
 * transaction) or ERC-1363; approve + createChannel otherwise. In session mode a fresh key is generated and
 * registered as the channel's delegated signer in the same transaction, so later payments need no prompt.
 *
 * @example
 * import { openChannel } from "@micro-raiden/web-client";
 * const channel = await openChannel(client, {
 *   chainId: 31337, contract: manager, token, receiver, deposit: 10n ** 18n,
 * });
 */
export async function openChannel(client: ChannelClient, parameters: OpenChannelParameters): Promise<StoredChannel> {
  const { receiver, deposit } = parameters;
  const chain = await ensureChain(client, parameters.chainId);
  const sessionKey = (parameters.signing ?? client.signing) === "session" ? generatePrivateKey() : undefined;
  const delegatedSigner = sessionKey ? privateKeyToAccount(sessionKey).address : undefined;
  const method = parameters.method ?? (await detectDepositMethod(client, parameters.token));
  const signer = delegatedSigner ?? zeroAddress;

  const manager = { chain, address: parameters.contract, abi: channelManagerAbi } as const;
  const hash = await depositTransaction(client, chain, parameters, method, {
    withPermit: (p) =>
      client.walletClient.writeContract({
        ...manager,
        functionName: "createChannelWithPermit",
        args: [receiver, deposit, signer, p.deadline, p.v, p.r, p.s],
      }),
    withAllowance: () =>
      client.walletClient.writeContract({
        ...manager,
        functionName: "createChannel",
        args: [receiver, deposit, signer],
      }),
    erc1363Data: delegatedSigner
      ? encodePacked(["address", "address"], [receiver, delegatedSigner])
      : encodePacked(["address"], [receiver]),
    amount: deposit,
  });
  const receipt = await waitForSuccess(client, hash);
  const created = parseEventLogs({ abi: channelManagerAbi, eventName: "ChannelCreated", logs: receipt.logs }).find(
    (log) => log.address.toLowerCase() === parameters.contract.toLowerCase(),
  );
  if (!created) throw new Error(`Transaction ${hash} opened no channel.`);
  const channel: StoredChannel = {
    chainId: parameters.chainId,
    contract: parameters.contract,
    token: parameters.token,
    sender: client.account,
    receiver: created.args.receiver,
    openBlock: created.args.openBlock,
    deposit: created.args.deposit,
    balance: 0n,
    balanceSignature: undefined,
    delegatedSigner,
    sessionKey,
    state: "open",
    settleBlock: undefined,
  };
  await client.storage.put(channel);
  return channel;
}

/**
 * The cheapest way in the token supports, probed with view calls (no prompt).
 *
 * @example
 * import { detectDepositMethod } from "@micro-raiden/web-client";
 * const method = await detectDepositMethod(client, token); // "permit" | "erc1363" | "approve"
 */
export async function detectDepositMethod(client: ChannelClient, token: Address): Promise<DepositMethod> {
  const supportsPermit = await Promise.all([
    client.publicClient.readContract({
      address: token,
      abi: demoTokenAbi,
      functionName: "nonces",
      args: [client.account],
    }),
    client.publicClient.readContract({ address: token, abi: demoTokenAbi, functionName: "eip712Domain" }),
  ]).then(
    () => true,
    () => false,
  );
  if (supportsPermit) return "permit";
  const supports1363 = await client.publicClient
    .readContract({ address: token, abi: demoTokenAbi, functionName: "supportsInterface", args: [erc1363InterfaceId] })
    .catch(() => false);
  return supports1363 ? "erc1363" : "approve";
}

/** An EIP-2612 permit signature, split as the manager's `...WithPermit` functions take it. */
export type PermitSignature = { deadline: bigint; v: number; r: Hex; s: Hex };

/** The manager calls of one deposit (open or top-up) for each way in, shared by openChannel and topUp. */
export type DepositCalls = {
  withPermit: (permit: PermitSignature) => Promise<Hash>;
  /** The plain call, sent once the allowance covers `amount`. */
  withAllowance: () => Promise<Hash>;
  /** The ERC-1363 payload naming the channel to open or top up. */
  erc1363Data: Hex;
  amount: bigint;
};

/** Sends the deposit transaction(s) by `method` and returns the hash of the one that moves the tokens. */
export async function depositTransaction(
  client: ChannelClient,
  chain: Chain,
  manager: ManagerParameters,
  method: DepositMethod,
  calls: DepositCalls,
): Promise<Hash> {
  const { walletClient, publicClient, account } = client;
  try {
    if (method === "erc1363") {
      return await walletClient.writeContract({
        chain,
        address: manager.token,
        abi: demoTokenAbi,
        functionName: "transferAndCall",
        args: [manager.contract, calls.amount, calls.erc1363Data],
      });
    }
    if (method === "permit") {
      const [nonce, domain, block] = await Promise.all([
        publicClient.readContract({
          address: manager.token,
          abi: demoTokenAbi,
          functionName: "nonces",
          args: [account],
        }),
        publicClient.readContract({ address: manager.token, abi: demoTokenAbi, functionName: "eip712Domain" }),
        publicClient.getBlock(),
      ]);
      const [, name, version, chainId, verifyingContract] = domain;
      const deadline = block.timestamp + 3600n;
      const signature = await walletClient.signTypedData({
        account: walletClient.account,
        ...permitTypedData(
          { name, version, chainId: Number(chainId), verifyingContract },
          { owner: account, spender: manager.contract, value: calls.amount, nonce, deadline },
        ),
      });
      const { r, s, v, yParity } = parseSignature(signature);
      return await calls.withPermit({ deadline, v: Number(v ?? BigInt(yParity + 27)), r, s });
    }
    const allowance = await publicClient.readContract({
      address: manager.token,
      abi: demoTokenAbi,
      functionName: "allowance",
      args: [account, manager.contract],
    });
    if (allowance < calls.amount) {
      const approval = await walletClient.writeContract({
        chain,
        address: manager.token,
        abi: demoTokenAbi,
        functionName: "approve",
        args: [manager.contract, calls.amount],
      });
      await waitForSuccess(client, approval);
    }
    return await calls.withAllowance();
  } catch (error) {
    throw mapContractError(error);
  }
}

/** Waits for a receipt and fails loudly on a reverted transaction. */
export async function waitForSuccess(client: ChannelClient, hash: Hash): Promise<TransactionReceipt> {
  const receipt = await client.publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`Transaction ${hash} reverted.`);
  return receipt;
}
