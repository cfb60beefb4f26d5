// Writes web-client/src/protocol/channelManagerRuntimeCode.ts: what a client needs to tell, from `eth_getCode`,
// whether a contract is our ChannelManager — the runtime bytecode's length and hash with the per-deployment
// immutables zeroed, where those immutables sit, and the challenge-period bounds the contract enforces. With --check
// it only compares and exits 1 when the committed file is stale.
//
// The hash is taken over real deployments (in-process EDR), not over the artifact: the artifact leaves every
// immutable zero, while only some of them differ between deployments (token, challenge period, the EIP-712 caches);
// the others (the EIP-712 name and version) are the same everywhere and stay part of the hash.
import { readFile, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { network } from "hardhat";
import { type Address, bytesToHex, type Hex, hexToBytes, keccak256 } from "viem";

const artifactPath = new URL("../artifacts/contracts/ChannelManager.sol/ChannelManager.json", import.meta.url);
const target = new URL("../../web-client/src/protocol/channelManagerRuntimeCode.ts", import.meta.url);

/** Immutables whose value depends on the deployment (constructor arguments, chain, address): masked and described. */
const perDeployment = {
  "ChannelManager.token": { key: "token", type: "address" },
  "ChannelManager.challengePeriod": { key: "challengePeriod", type: "uint64" },
  "EIP712._cachedDomainSeparator": { key: "cachedDomainSeparator", type: "bytes32" },
  "EIP712._cachedChainId": { key: "cachedChainId", type: "uint256" },
  "EIP712._cachedThis": { key: "cachedThis", type: "address" },
} as const;
/** Immutables that are the same in every deployment: hashed with the rest of the code. */
const sameEverywhere = new Set(["EIP712._hashedName", "EIP712._hashedVersion", "EIP712._name", "EIP712._version"]);

type Range = { start: number; length: number };
type Artifact = {
  abi: unknown[];
  bytecode: Hex;
  deployedBytecode: Hex;
  immutableReferences: Record<string, Range[]>;
  buildInfoId: string;
};
type AstNode = { nodeType?: string; id?: number; name?: string; [key: string]: unknown };

const artifact: Artifact = JSON.parse(await readFile(artifactPath, "utf8"));
const buildInfo = JSON.parse(
  await readFile(new URL(`../artifacts/build-info/${artifact.buildInfoId}.output.json`, import.meta.url), "utf8"),
);
const solcVersion: string = JSON.parse(
  await readFile(new URL(`../artifacts/build-info/${artifact.buildInfoId}.json`, import.meta.url), "utf8"),
).solcVersion;

/** "Contract.variable" for every AST node id of an immutable the runtime code references. */
function immutableNames(): Map<number, string> {
  const wanted = new Set(Object.keys(artifact.immutableReferences).map(Number));
  const names = new Map<number, string>();
  const walk = (node: unknown, contract: string | undefined): void => {
    if (Array.isArray(node)) {
      for (const child of node) walk(child, contract);
      return;
    }
    if (typeof node !== "object" || node === null) return;
    const n = node as AstNode;
    const inContract = n.nodeType === "ContractDefinition" ? n.name : contract;
    if (n.nodeType === "VariableDeclaration" && n.id !== undefined && wanted.has(n.id)) {
      names.set(n.id, `${inContract}.${n.name}`);
    }
    for (const value of Object.values(n)) walk(value, inContract);
  };
  for (const source of Object.values(buildInfo.output.sources as Record<string, { ast: unknown }>)) {
    walk(source.ast, undefined);
  }
  return names;
}

const names = immutableNames();
const immutables = new Map<string, { type: string; ranges: Range[] }>();
for (const [id, ranges] of Object.entries(artifact.immutableReferences)) {
  const name = names.get(Number(id));
  if (!name) throw new Error(`Immutable #${id} not found in the AST.`);
  if (sameEverywhere.has(name)) continue;
  const described = perDeployment[name as keyof typeof perDeployment];
  if (!described) {
    throw new Error(
      `New immutable ${name}: add it to perDeployment or sameEverywhere in ${fileURLToPath(import.meta.url)}.`,
    );
  }
  immutables.set(described.key, { type: described.type, ranges: [...ranges].sort((a, b) => a.start - b.start) });
}
for (const { key } of Object.values(perDeployment)) {
  if (!immutables.has(key)) throw new Error(`Immutable ${key} is no longer in the runtime code.`);
}

function mask(code: Hex): Uint8Array {
  const bytes = hexToBytes(code);
  for (const { ranges } of immutables.values()) {
    for (const { start, length } of ranges) bytes.fill(0, start, start + length);
  }
  return bytes;
}

// Two deployments that differ in everything a deployment can choose (token, challenge period, address) must give the
// same masked code; their bounds come from the contract itself.
const { viem } = await network.create();
const publicClient = await viem.getPublicClient();
const testClient = await viem.getTestClient();
const probe: Address = "0x00000000000000000000000000000000c0de0001";
await testClient.setCode({ address: probe, bytecode: artifact.deployedBytecode });
const readBound = async (functionName: "MIN_CHALLENGE_PERIOD" | "MAX_CHALLENGE_PERIOD") =>
  Number(await publicClient.readContract({ address: probe, abi: artifact.abi, functionName }));
const min = await readBound("MIN_CHALLENGE_PERIOD");
const max = await readBound("MAX_CHALLENGE_PERIOD");
const codes: Hex[] = [];
for (const [token, period] of [
  ["0x000000000000000000000000000000000000aaaa", min],
  ["0x000000000000000000000000000000000000bbbb", max],
] as const) {
  const manager = await viem.deployContract("ChannelManager", [token, BigInt(period)]);
  const code = await publicClient.getCode({ address: manager.address });
  if (!code) throw new Error("The deployed ChannelManager has no code.");
  codes.push(code);
}
const [first, second] = codes.map((code) => bytesToHex(mask(code)));
if (!first || first !== second) {
  throw new Error("Two deployments differ outside the masked immutables: an immutable is missing from perDeployment.");
}
const maskedCode: Hex = first;

function render(): string {
  const order: string[] = Object.values(perDeployment).map(({ key }) => key);
  const sorted = [...immutables.entries()].sort(([a], [b]) => order.indexOf(a) - order.indexOf(b));
  const immutableLines = sorted.map(
    ([key, { type, ranges }]) =>
      `    ${key}: { type: "${type}", offsets: [${ranges.map((r) => r.start).join(", ")}] },`,
  );
  return `// Generated by contracts/scripts/generate-runtime-code.ts from the compiled ChannelManager: do not edit.
// Regenerate with \`npm run generate:abi -w contracts\`; \`npm run check:abi -w contracts\` fails when stale.

/**
 * How to recognise a genuine \`ChannelManager\` from its runtime bytecode (\`eth_getCode\`), before depositing into a
 * contract a 402 names.
 *
 * 1. The code is \`byteLength\` bytes long.
 * 2. Each of \`immutables\` is a 32-byte word at every one of its \`offsets\` (byte offsets into the code), holding an
 *    ABI-encoded value of its \`type\`; all occurrences of one immutable are equal. Zero these words: the keccak256 of
 *    the result is \`maskedCodeHash\`.
 * 3. The masked words hold this deployment's values: \`token\` must be the token the 402 names, \`challengePeriod\`
 *    within \`challengePeriod.min\`..\`challengePeriod.max\` (the contract's own bounds; a client may demand less),
 *    \`cachedThis\` the contract's address, \`cachedChainId\` the chain's id and \`cachedDomainSeparator\` the EIP-712
 *    domain separator of { name: "MicroRaiden", version: "1", chainId, verifyingContract: address }.
 *
 * The EIP-712 name and version are immutables too, but the same in every deployment, so they are part of the hash.
 * Any other compiler, setting or source change gives another hash: a client recognises exactly this build.
 */
export const channelManagerRuntimeCode = {
  contractName: "ChannelManager",
  compiler: "solc ${solcVersion}",
  byteLength: ${hexToBytes(maskedCode).length},
  maskedCodeHash: "${keccak256(maskedCode)}",
  immutables: {
${immutableLines.join("\n")}
  },
  challengePeriod: { min: ${min}, max: ${max} },
} as const;
`;
}

const expected = render();
if (process.argv.includes("--check")) {
  const current = await readFile(target, "utf8").catch(() => "");
  if (current !== expected) {
    console.error(`${fileURLToPath(target)} is stale: run \`npm run generate:abi -w contracts\` and commit it.`);
    process.exit(1);
  }
  console.log("Runtime code description is up to date.");
} else {
  await writeFile(target, expected);
  console.log(`Wrote ${fileURLToPath(target)}`);
}
