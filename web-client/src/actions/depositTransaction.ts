import type {
  Account,
  Address,
  Chain,
  GetBlockErrorType,
  Hash,
  Hex,
  ReadContractErrorType,
  SignTypedDataErrorType,
  UserRejectedRequestErrorType,
  WriteContractErrorType,
} from "viem";
import { getBlock, readContract, signTypedData, writeContract } from "viem/actions";
import type { ChannelClient } from "../client/createChannelClient.ts";
import { mapContractError } from "../client/mapContractError.ts";
import type { ChannelManagerRevertErrorType } from "../errors/ChannelManagerRevertError.ts";
import type { ErrorType } from "../errors/ErrorType.ts";
import { demoTokenAbi, permitTypedData, type ReadTokenDomainErrorType, readTokenDomain } from "../protocol/index.ts";
import { splitSignature } from "../protocol/secp256k1.ts";
import type { DepositMethod } from "./detectDepositMethod.ts";
import { type WaitForSuccessErrorType, waitForSuccess } from "./waitForSuccess.ts";

/** An EIP-2612 permit signature, split as the manager's `...WithPermit` functions take it. */
type PermitSignature = { deadline: bigint; v: number; r: Hex; s: Hex };

/** The manager calls of one deposit (open or top-up) for each way in, shared by openChannel and topUp. */
export type DepositCalls = {
  withPermit: (permit: PermitSignature) => Promise<Hash>;
  /** The plain call, sent once the allowance covers `amount`. */
  withAllowance: () => Promise<Hash>;
  /** The ERC-1363 payload naming the channel to open or top up. */
  erc1363Data: Hex;
  amount: bigint;
};

/**
 * Everything goes through mapContractError: a rejection anywhere in the chain of causes is viem's
 * UserRejectedRequestError itself, a custom-error revert is ChannelManagerRevertError, the rest is viem's as thrown.
 * `calls` send with writeContract.
 */
export type DepositTransactionErrorType =
  | UserRejectedRequestErrorType
  | ChannelManagerRevertErrorType
  | ReadContractErrorType
  | ReadTokenDomainErrorType
  | GetBlockErrorType
  | SignTypedDataErrorType
  | WriteContractErrorType
  | WaitForSuccessErrorType
  | ErrorType;

/** Sends the deposit transaction(s) by `method` from `account` and returns the hash of the one that moves tokens. */
export async function depositTransaction(
  client: ChannelClient,
  parameters: { chain: Chain; account: Account; contract: Address; token: Address; method: DepositMethod },
  calls: DepositCalls,
): Promise<Hash> {
  const { walletClient, publicClient } = client;
  const { chain, account, contract, token, method } = parameters;
  try {
    if (method === "erc1363") {
      return await writeContract(walletClient, {
        chain,
        account,
        address: token,
        abi: demoTokenAbi,
        functionName: "transferAndCall",
        args: [contract, calls.amount, calls.erc1363Data],
      });
    }
    // An EIP-3009 token's own opens and top-ups use its permit: once the reader's permit nonce is written it costs less
    // than a ReceiveWithAuthorization's fresh nonce slot; EIP-3009 is for the sponsored open (one signature).
    if (method === "permit" || method === "eip3009") {
      const [nonce, domain, block] = await Promise.all([
        readContract(publicClient, {
          address: token,
          abi: demoTokenAbi,
          functionName: "nonces",
          args: [account.address],
        }),
        readTokenDomain(publicClient, token),
        getBlock(publicClient),
      ]);
      const deadline = block.timestamp + 3600n;
      const signature = await signTypedData(walletClient, {
        account,
        ...permitTypedData(domain, {
          owner: account.address,
          spender: contract,
          value: calls.amount,
          nonce,
          deadline,
        }),
      });
      const { r, s, v } = splitSignature(signature);
      return await calls.withPermit({ deadline, v, r, s });
    }
    const allowance = await readContract(publicClient, {
      address: token,
      abi: demoTokenAbi,
      functionName: "allowance",
      args: [account.address, contract],
    });
    if (allowance < calls.amount) {
      const approval = await writeContract(walletClient, {
        chain,
        account,
        address: token,
        abi: demoTokenAbi,
        functionName: "approve",
        args: [contract, calls.amount],
      });
      await waitForSuccess(client, approval);
    }
    return await calls.withAllowance();
  } catch (error) {
    throw mapContractError(error);
  }
}
