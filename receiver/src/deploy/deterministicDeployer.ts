import { type Address, type Hex, type PublicClient, parseEther, type WalletClient } from "viem";
import { hasCode } from "./hasCode.ts";

/**
 * Arachnid's deterministic deployment proxy: a CREATE2 factory at the same address on most EVM chains, because it
 * was deployed by a presigned pre-EIP-155 transaction from a one-time account whose key nobody has. Call it with
 * `salt (32 bytes) ++ creation code`; the contract lands at `getContractAddress({ opcode: "CREATE2", from: factory,
 * salt, bytecode })` and the call returns that address.
 */
export const deterministicDeployer = {
  address: "0x4e59b44847b379578588920cA78FbF26c0B4956C",
  /** The one-time account that sends `transaction`. */
  signer: "0x3fab184622dc19b6109349b94811493bf2a45362",
  /** Its gas (100,000 at 100 gwei): what the signer must hold for the transaction to be mined. */
  funding: parseEther("0.01"),
  /** The presigned deployment transaction, valid on any chain that accepts transactions without a chain id. */
  transaction:
    "0xf8a58085174876e800830186a08080b853604580600e600039806000f350fe7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf31ba02222222222222222222222222222222222222222222222222222222222222222a02222222222222222222222222222222222222222222222222222222222222222",
} as const satisfies { address: Address; signer: Address; funding: bigint; transaction: Hex };

/** What the deploy command reports as it goes. */
export type DeployProgress = (message: string) => void;

/**
 * Places the deterministic deployment proxy on a chain that lacks it, the standard way: funds its one-time signer
 * (from `walletClient`'s account, only what it lacks) and broadcasts the presigned transaction. Does nothing where
 * the proxy already is, as on most public chains.
 */
export async function ensureDeterministicDeployer(parameters: {
  publicClient: PublicClient;
  walletClient: WalletClient;
  progress?: DeployProgress | undefined;
}): Promise<"present" | "placed"> {
  const { publicClient, walletClient } = parameters;
  const progress = parameters.progress ?? (() => {});
  if (await hasCode(publicClient, deterministicDeployer.address)) return "present";
  progress(`The deterministic deployment proxy is not on this chain: placing it at ${deterministicDeployer.address}.`);
  const balance = await publicClient.getBalance({ address: deterministicDeployer.signer });
  if (balance < deterministicDeployer.funding) {
    const account = walletClient.account;
    if (!account) throw new Error("The wallet has no account to fund the proxy's signer with.");
    const hash = await walletClient.sendTransaction({
      account,
      chain: walletClient.chain ?? null,
      to: deterministicDeployer.signer,
      value: deterministicDeployer.funding - balance,
    });
    progress(`  funding its one-time signer: transaction ${hash} sent`);
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`Funding the proxy's signer failed (${hash}).`);
    progress(`  mined in block ${receipt.blockNumber}`);
  }
  const hash = await publicClient.sendRawTransaction({ serializedTransaction: deterministicDeployer.transaction });
  progress(`  its presigned deployment: transaction ${hash} sent`);
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success" || !(await hasCode(publicClient, deterministicDeployer.address))) {
    throw new Error(`Placing the deterministic deployment proxy failed (${hash}).`);
  }
  progress(`  mined in block ${receipt.blockNumber}, gas used ${receipt.gasUsed}`);
  return "placed";
}
