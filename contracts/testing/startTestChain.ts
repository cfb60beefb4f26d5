// A real local chain for other parts' tests: Hardhat's node served over HTTP on a free port in this process, with
// the contracts deployed. Demo-server, web-client and e2e tests start one each.
import { fileURLToPath } from "node:url";
import { type Deployment, demoTokenAbi } from "@micro-raiden/web-client/protocol";
import { createHardhatRuntimeEnvironment } from "hardhat/hre";
import { type Address, createPublicClient, createTestClient, createWalletClient, http, type TestClient } from "viem";
import { type HDAccount, mnemonicToAccount } from "viem/accounts";
import config from "../hardhat.config.ts";
import { deployContracts, HARDHAT_MNEMONIC, type TokenKind } from "../scripts/deploy.ts";

export type TestChain = {
  rpcUrl: string;
  deployment: Deployment;
  /** Hardhat's funded development accounts (index 0 deployed the contracts and may mint anywhere). */
  accounts: HDAccount[];
  /** Mining, snapshots and automine control (`hardhat_*` / `evm_*` methods). */
  testClient: TestClient<"hardhat">;
  /** Mints tokens to `to` (as the deployer, the demo token's owner or USDC's minter) and waits for the transaction. */
  mint(to: Address, amount: bigint): Promise<void>;
  close(): Promise<void>;
};

/**
 * Starts an in-process Hardhat node on 127.0.0.1 (a free port unless one is given) and deploys a token (the demo
 * token, or with `tokenKind: "usdc"` Circle's FiatToken V2.2 behind its proxy) and the channel manager to it.
 *
 * @example
 * import { startTestChain } from "@micro-raiden/contracts/testing";
 * const chain = await startTestChain();
 * // ... chain.rpcUrl, chain.deployment.channelManager ...
 * await chain.close();
 */
export async function startTestChain(
  options: {
    port?: number;
    challengePeriod?: number;
    /** Another chain id than Hardhat's 31337: a chain the widget knows nothing of. */
    chainId?: number;
    /** The token to deploy: the demo token (default) or USDC's own. */
    tokenKind?: TokenKind;
  } = {},
): Promise<TestChain> {
  const projectRoot = fileURLToPath(new URL("..", import.meta.url));
  const chainConfig =
    options.chainId === undefined
      ? config
      : { ...config, networks: { default: { type: "edr-simulated" as const, chainId: options.chainId } } };
  const hre = await createHardhatRuntimeEnvironment(chainConfig, {}, projectRoot);
  const server = await hre.network.createServer("default", "127.0.0.1", options.port ?? 0);
  const { address, port } = await server.listen();
  const rpcUrl = `http://${address}:${port}`;
  const deployment = await deployContracts({
    rpcUrl,
    // Hardhat's development accounts are funded whatever the chain id: the first deploys, as on 31337.
    account: mnemonicToAccount(HARDHAT_MNEMONIC),
    ...(options.challengePeriod === undefined ? {} : { challengePeriod: options.challengePeriod }),
    ...(options.tokenKind === undefined ? {} : { tokenKind: options.tokenKind }),
  });
  const accounts = Array.from({ length: 10 }, (_, addressIndex) =>
    mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex }),
  );
  const testClient = createTestClient({ mode: "hardhat", transport: http(rpcUrl) });
  const deployer = accounts[0];
  if (!deployer) throw new Error("No deployer account.");
  const minter = createWalletClient({ account: deployer, transport: http(rpcUrl) });
  const publicClient = createPublicClient({ transport: http(rpcUrl) });
  async function mint(to: Address, amount: bigint) {
    const hash = await minter.writeContract({
      chain: null,
      address: deployment.token,
      // mint(address,uint256) is the same call on both tokens (USDC's returns a bool, which a transaction drops).
      abi: demoTokenAbi,
      functionName: "mint",
      args: [to, amount],
    });
    await publicClient.waitForTransactionReceipt({ hash });
  }
  return { rpcUrl, deployment, accounts, testClient, mint, close: () => server.close() };
}
