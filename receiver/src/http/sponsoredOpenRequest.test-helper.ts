// What a reader's client sends for a sponsored open, signed for real: an EIP-2612 permit of the demo token and an
// OpenAuthorization, with the nonces read from the chain and a deadline ten minutes after the chain's time.
import {
  channelManagerAbi,
  type Deployment,
  demoTokenAbi,
  openAuthorizationTypedData,
  permitTypedData,
  type SponsoredOpenRequestBody,
} from "@micro-raiden/web-client/protocol";
import type { Address, LocalAccount, PublicClient } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

/**
 * A sponsored open of `deposit` from `account` to `receiver`, signed by `signAs` (default the account), with `changes`
 * signed over (so a changed field is a validly signed request for something else).
 */
export async function sponsoredOpenRequest(parameters: {
  publicClient: PublicClient;
  deployment: Deployment;
  account: LocalAccount;
  receiver: Address;
  deposit: bigint;
  changes?: Partial<SponsoredOpenRequestBody> | undefined;
  signAs?: LocalAccount | undefined;
}): Promise<SponsoredOpenRequestBody> {
  const { publicClient, deployment, account, changes = {}, signAs = account } = parameters;
  const { channelManager, token, chainId } = deployment;
  const [permitNonce, nonce, latest] = await Promise.all([
    publicClient.readContract({ address: token, abi: demoTokenAbi, functionName: "nonces", args: [account.address] }),
    publicClient.readContract({
      address: channelManager,
      abi: channelManagerAbi,
      functionName: "openingNonces",
      args: [account.address],
    }),
    publicClient.getBlock({ blockTag: "latest" }),
  ]);
  const body = {
    contract: channelManager,
    token,
    sender: account.address,
    receiver: parameters.receiver,
    deposit: parameters.deposit,
    signer: privateKeyToAccount(generatePrivateKey()).address,
    nonce,
    // By the chain's clock, which is what the manager checks.
    deadline: latest.timestamp + 600n,
    ...changes,
  };
  const permitSignature = await signAs.signTypedData(
    permitTypedData(
      { name: "Demo Token", version: "1", chainId, verifyingContract: token },
      { owner: body.sender, spender: channelManager, value: body.deposit, nonce: permitNonce, deadline: body.deadline },
    ),
  );
  const authorizationSignature = await signAs.signTypedData(
    openAuthorizationTypedData({ chainId, contract: body.contract }, body),
  );
  return { ...body, authorizationSignature, permitSignature, ...changes };
}
