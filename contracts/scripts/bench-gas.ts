// Measures the gas of every channel operation on the local EVM (Hardhat's EDR, the compiler settings of
// hardhat.config.ts) and prints it beside µRaiden's published figures, with the permit opens and the cooperative
// close also on USDC's own token (Circle's FiatToken V2.2 behind its proxy) beside the demo token's.
//
// State is that of a manager in use: the manager already holds other deposits, the receiver already holds
// tokens, and the sender has used a permit before, so no measurement pays for a token balance or nonce slot
// being written for the first time in the token. Gas is each receipt's gasUsed (after refunds).
import {
  balanceProofTypedData,
  closingAgreementTypedData,
  openAuthorizationTypedData,
  openByReceiveAuthorizationTypedData,
  packDelegatedSignature,
  permitTypedData,
  signerDelegationTypedData,
} from "@micro-raiden/web-client/protocol";
import { network } from "hardhat";
import { type Address, encodePacked, type Hash, parseSignature, signatureToCompactSignature } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { deployFiatToken, USDC_NAME, USDC_VERSION } from "./fiatToken.ts";

const { viem, networkHelpers } = await network.create();
const publicClient = await viem.getPublicClient();
const wallets = await viem.getWalletClients();
function wallet(index: number) {
  const client = wallets.at(index);
  if (!client) throw new Error(`Hardhat account ${index} missing`);
  return client;
}
const [deployer, sender, receiver, other] = [wallet(0), wallet(1), wallet(2), wallet(3)];

const UNIT = 10n ** 18n;
const token = await viem.deployContract("DemoToken", ["Demo Token", "TKN", deployer.account.address]);
const manager = await viem.deployContract("ChannelManager", [token.address, 500n]);
const chainId = await publicClient.getChainId();
const domain = { chainId, contract: manager.address };
const senderAddress = sender.account.address;
const receiverAddress = receiver.account.address;
const session = privateKeyToAccount(generatePrivateKey()).address;
const zero: Address = "0x0000000000000000000000000000000000000000";

async function gas(hash: Hash): Promise<bigint> {
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
  return receipt.gasUsed;
}
async function openBlockOf(hash: Hash): Promise<bigint> {
  return (await publicClient.waitForTransactionReceipt({ hash })).blockNumber;
}

async function permit(value: bigint) {
  const nonce = await token.read.nonces([senderAddress]);
  const deadline = (await publicClient.getBlock()).timestamp + 3600n;
  const signature = await sender.signTypedData(
    permitTypedData(
      { name: "Demo Token", version: "1", chainId, verifyingContract: token.address },
      { owner: senderAddress, spender: manager.address, value, nonce, deadline },
    ),
  );
  const { r, s, v } = parseSignature(signature);
  return { deadline, v: Number(v), r, s };
}

// A manager in use: tokens everywhere, one permit already spent by the sender.
await token.write.mint([senderAddress, 1_000_000n * UNIT]);
await token.write.mint([receiverAddress, 1n * UNIT]);
await token.write.mint([other.account.address, 1_000n * UNIT]);
await token.write.approve([manager.address, 1n * UNIT], { account: other.account });
await manager.write.createChannel([receiverAddress, 1n * UNIT, zero], { account: other.account });
{
  const p = await permit(1n);
  await token.write.permit([senderAddress, manager.address, 1n, p.deadline, p.v, p.r, p.s]);
  await token.write.approve([manager.address, 0n], { account: sender.account });
}

const rows: { operation: string; ours: bigint; microRaiden: number; note?: string }[] = [];
const deposit = 100n * UNIT;
const openData = (signer?: Address) =>
  signer
    ? encodePacked(["address", "address"], [receiverAddress, signer])
    : encodePacked(["address"], [receiverAddress]);

// ---- opening
{
  const hash = await token.write.transferAndCall([manager.address, deposit, openData()], { account: sender.account });
  rows.push({ operation: "open, ERC-1363 transferAndCall", ours: await gas(hash), microRaiden: 88_976 });
}
{
  const hash = await token.write.transferAndCall([manager.address, deposit, openData(session)], {
    account: sender.account,
  });
  rows.push({ operation: "open, ERC-1363, with session key", ours: await gas(hash), microRaiden: 88_976 });
}
{
  const a = await gas(await token.write.approve([manager.address, deposit], { account: sender.account }));
  const c = await gas(await manager.write.createChannel([receiverAddress, deposit, zero], { account: sender.account }));
  rows.push({ operation: "open, ERC-20 approve + createChannel (2 tx)", ours: a + c, microRaiden: 120_090 });
}
let permitChannel = 0n;
{
  const p = await permit(deposit);
  const hash = await manager.write.createChannelWithPermit(
    [receiverAddress, deposit, zero, p.deadline, p.v, p.r, p.s],
    {
      account: sender.account,
    },
  );
  rows.push({ operation: "open, permit + createChannel (1 tx)", ours: await gas(hash), microRaiden: 120_090 });
}
{
  const p = await permit(deposit);
  const hash = await manager.write.createChannelWithPermit(
    [receiverAddress, deposit, session, p.deadline, p.v, p.r, p.s],
    { account: sender.account },
  );
  permitChannel = await openBlockOf(hash);
  rows.push({
    operation: "open, permit, with session key (1 tx)",
    ours: await gas(hash),
    microRaiden: 120_090,
    note: "aim 96,000",
  });
}

// Sponsored: the sender signs a permit and an open authorization, the receiver submits openOnBehalf and pays the
// gas. The first row is a reader's first sponsored open, which writes its opening-nonce slot for the first time; the
// second is every later one.
async function sponsoredOpen(signer: Address) {
  const p = await permit(deposit);
  const nonce = await manager.read.openingNonces([senderAddress]);
  const authorization = await sender.signTypedData(
    openAuthorizationTypedData(domain, {
      sender: senderAddress,
      receiver: receiverAddress,
      deposit,
      signer,
      nonce,
      deadline: p.deadline,
    }),
  );
  return manager.write.openOnBehalf(
    [senderAddress, receiverAddress, deposit, signer, nonce, p.deadline, authorization, p.v, p.r, p.s],
    { account: receiver.account },
  );
}
for (const operation of [
  "sponsored open, reader's first (gas the receiver pays)",
  "sponsored open (gas the receiver pays)",
]) {
  const hash = await sponsoredOpen(session);
  rows.push({ operation, ours: await gas(hash), microRaiden: 120_090, note: "with session key; sender pays 0 gas" });
}

// ---- topping up (on the session-key channel)
{
  const data = encodePacked(["address", "uint64"], [receiverAddress, permitChannel]);
  const hash = await token.write.transferAndCall([manager.address, 10n * UNIT, data], { account: sender.account });
  rows.push({ operation: "top-up, ERC-1363 transferAndCall", ours: await gas(hash), microRaiden: 54_885 });
}
{
  const a = await gas(await token.write.approve([manager.address, 10n * UNIT], { account: sender.account }));
  const t = await gas(
    await manager.write.topUp([receiverAddress, permitChannel, 10n * UNIT], { account: sender.account }),
  );
  rows.push({ operation: "top-up, ERC-20 approve + topUp (2 tx)", ours: a + t, microRaiden: 85_414 });
}
{
  const p = await permit(10n * UNIT);
  const hash = await manager.write.topUpWithPermit(
    [receiverAddress, permitChannel, 10n * UNIT, p.deadline, p.v, p.r, p.s],
    {
      account: sender.account,
    },
  );
  rows.push({ operation: "top-up, permit + topUp (1 tx)", ours: await gas(hash), microRaiden: 85_414 });
}

// ---- paying out (balance proofs signed by the session key's channel sender, as the client would)
const proof = (openBlock: bigint, balance: bigint) =>
  sender.signTypedData(
    balanceProofTypedData(domain, { sender: senderAddress, receiver: receiverAddress, openBlock, balance }),
  );
const closing = (openBlock: bigint, balance: bigint) =>
  receiver.signTypedData(
    closingAgreementTypedData(domain, { sender: senderAddress, receiver: receiverAddress, openBlock, balance }),
  );
{
  const hash = await manager.write.withdraw(
    [senderAddress, permitChannel, 1n * UNIT, await proof(permitChannel, 1n * UNIT)],
    {
      account: receiver.account,
    },
  );
  rows.push({ operation: "withdraw (first on the channel)", ours: await gas(hash), microRaiden: 72_525 });
}
{
  const hash = await manager.write.withdraw(
    [senderAddress, permitChannel, 2n * UNIT, await proof(permitChannel, 2n * UNIT)],
    {
      account: receiver.account,
    },
  );
  rows.push({ operation: "withdraw (later)", ours: await gas(hash), microRaiden: 42_589 });
}
{
  // A key another origin made, delegated off-chain by the sender's one SignerDelegation signature.
  const delegate = privateKeyToAccount(generatePrivateKey());
  const channel = { sender: senderAddress, receiver: receiverAddress, openBlock: permitChannel };
  const delegation = await sender.signTypedData(
    signerDelegationTypedData(domain, { ...channel, signer: delegate.address }),
  );
  const balance = 2n * UNIT + 1n;
  const signature = packDelegatedSignature({
    proof: await delegate.signTypedData(balanceProofTypedData(domain, { ...channel, balance })),
    signer: delegate.address,
    delegation,
  });
  const hash = await manager.write.withdraw([senderAddress, permitChannel, balance, signature], {
    account: receiver.account,
  });
  rows.push({
    operation: "withdraw (later), delegated key",
    ours: await gas(hash),
    microRaiden: 42_589,
    note: "150-byte proof: a key the sender delegated off-chain",
  });
}
{
  const balance = 3n * UNIT;
  const hash = await manager.write.cooperativeClose(
    [
      senderAddress,
      receiverAddress,
      permitChannel,
      balance,
      await proof(permitChannel, balance),
      await closing(permitChannel, balance),
    ],
    { account: other.account },
  );
  rows.push({ operation: "cooperativeClose (both signatures)", ours: await gas(hash), microRaiden: 71_182 });
}
{
  const openBlock = await openBlockOf(
    await token.write.transferAndCall([manager.address, deposit, openData()], { account: sender.account }),
  );
  await networkHelpers.mine(1);
  const balance = 3n * UNIT;
  const hash = await manager.write.cooperativeClose(
    [senderAddress, receiverAddress, openBlock, balance, "0x", await closing(openBlock, balance)],
    { account: sender.account },
  );
  rows.push({ operation: "cooperativeClose (sender submits)", ours: await gas(hash), microRaiden: 71_182 });
}
{
  const openBlock = await openBlockOf(
    await token.write.transferAndCall([manager.address, deposit, openData()], { account: sender.account }),
  );
  const u = await gas(
    await manager.write.uncooperativeClose([receiverAddress, openBlock, 3n * UNIT], { account: sender.account }),
  );
  rows.push({ operation: "uncooperativeClose", ours: u, microRaiden: 53_876 });
  await networkHelpers.mine(501);
  const s = await gas(
    await manager.write.settle([senderAddress, receiverAddress, openBlock], { account: sender.account }),
  );
  rows.push({ operation: "settle", ours: s, microRaiden: 40_896 });
}

// ---- batch withdraw: one receiver, many channels, one token transfer. Every channel was withdrawn from once
// before (like "withdraw (later)"), except in the row that says otherwise.
const batchRows: { operation: string; channels: number; total: bigint }[] = [];
{
  const sizes = [1, 20, 100];
  const firstSize = 20;
  const openBlocks: bigint[] = [];
  for (let i = 0; i < firstSize + sizes.reduce((a, b) => a + b, 0); i++) {
    openBlocks.push(
      await openBlockOf(
        await token.write.transferAndCall([manager.address, deposit, openData()], { account: sender.account }),
      ),
    );
  }
  const entries = (blocks: bigint[], balance: bigint) =>
    Promise.all(
      blocks.map(async (openBlock) => {
        const { r, yParityAndS } = signatureToCompactSignature(parseSignature(await proof(openBlock, balance)));
        return { sender: senderAddress, openBlock, balance, r, vs: yParityAndS };
      }),
    );
  const batch = async (blocks: bigint[], balance: bigint) =>
    gas(await manager.write.batchWithdraw([await entries(blocks, balance)], { account: receiver.account }));

  const first = openBlocks.splice(0, firstSize);
  batchRows.push({
    operation: "batchWithdraw (first on each channel)",
    channels: first.length,
    total: await batch(first, 1n * UNIT),
  });
  await batch(openBlocks, 1n * UNIT);
  for (const size of sizes) {
    const blocks = openBlocks.splice(0, size);
    batchRows.push({ operation: "batchWithdraw (later)", channels: size, total: await batch(blocks, 2n * UNIT) });
  }
}

// ---- the same opens and close on USDC's own token (Circle's FiatToken V2.2 behind its proxy, 6 decimals), in the
// same state: a manager in use, the receiver holding tokens, the sender's permit nonce already written. Each row is
// printed right after the demo token's row for the same operation.
{
  const deployment = await deployFiatToken({
    publicClient,
    wallet: deployer,
    roles: { proxyAdmin: wallet(9).account.address },
  });
  const usdc = await viem.getContractAt("IFiatTokenV2_2", deployment.token);
  const usdcManager = await viem.deployContract("ChannelManager", [usdc.address, 500n]);
  const usdcDomain = { chainId, contract: usdcManager.address };
  const USDC = 10n ** 6n;
  await usdc.write.mint([senderAddress, 1_000_000n * USDC]);
  await usdc.write.mint([receiverAddress, 1n * USDC]);
  await usdc.write.mint([other.account.address, 1_000n * USDC]);
  await usdc.write.approve([usdcManager.address, 1n * USDC], { account: other.account });
  await usdcManager.write.createChannel([receiverAddress, 1n * USDC, zero], { account: other.account });
  async function usdcPermit(value: bigint) {
    const nonce = await usdc.read.nonces([senderAddress]);
    const deadline = (await publicClient.getBlock()).timestamp + 3600n;
    const signature = await sender.signTypedData(
      permitTypedData(
        { name: USDC_NAME, version: USDC_VERSION, chainId, verifyingContract: usdc.address },
        { owner: senderAddress, spender: usdcManager.address, value, nonce, deadline },
      ),
    );
    const { r, s, v } = parseSignature(signature);
    return { deadline, v: Number(v), r, s };
  }
  {
    const p = await usdcPermit(1n);
    await usdc.write.permit([senderAddress, usdcManager.address, 1n, p.deadline, p.v, p.r, p.s]);
    await usdc.write.approve([usdcManager.address, 0n], { account: sender.account });
  }
  const usdcDeposit = 100n * USDC;
  const usdcRows: { after: string; row: (typeof rows)[number] }[] = [];
  {
    const p = await usdcPermit(usdcDeposit);
    const hash = await usdcManager.write.createChannelWithPermit(
      [receiverAddress, usdcDeposit, zero, p.deadline, p.v, p.r, p.s],
      { account: sender.account },
    );
    usdcRows.push({
      after: "open, permit + createChannel (1 tx)",
      row: { operation: "open, permit + createChannel (1 tx), USDC", ours: await gas(hash), microRaiden: 120_090 },
    });
  }
  let usdcChannel = 0n;
  {
    const p = await usdcPermit(usdcDeposit);
    const hash = await usdcManager.write.createChannelWithPermit(
      [receiverAddress, usdcDeposit, session, p.deadline, p.v, p.r, p.s],
      { account: sender.account },
    );
    usdcChannel = await openBlockOf(hash);
    usdcRows.push({
      after: "open, permit, with session key (1 tx)",
      row: { operation: "open, permit, with session key (1 tx), USDC", ours: await gas(hash), microRaiden: 120_090 },
    });
  }
  // Sponsored opens on USDC, both with a session key and sent by the receiver, each by a new reader who holds USDC
  // and has never used it (its first open: what a first visit costs) and then again (a later open): permit +
  // OpenAuthorization (openOnBehalf, two signatures), and one EIP-3009 ReceiveWithAuthorization whose nonce binds the
  // channel's terms (openByReceiveAuthorization, one signature), which writes no permit nonce, allowance or opening nonce.
  const usdcTokenDomain = { name: USDC_NAME, version: USDC_VERSION, chainId, verifyingContract: usdc.address };
  const permitReader = privateKeyToAccount(generatePrivateKey());
  const authorizationReader = privateKeyToAccount(generatePrivateKey());
  await usdc.write.mint([permitReader.address, 1_000n * USDC]);
  await usdc.write.mint([authorizationReader.address, 1_000n * USDC]);
  async function usdcSponsoredPermitOpen() {
    const reader = permitReader;
    const deadline = (await publicClient.getBlock()).timestamp + 3600n;
    const permitNonce = await usdc.read.nonces([reader.address]);
    const p = parseSignature(
      await reader.signTypedData(
        permitTypedData(usdcTokenDomain, {
          owner: reader.address,
          spender: usdcManager.address,
          value: usdcDeposit,
          nonce: permitNonce,
          deadline,
        }),
      ),
    );
    const nonce = await usdcManager.read.openingNonces([reader.address]);
    const message = { sender: reader.address, receiver: receiverAddress, deposit: usdcDeposit, signer: session };
    const authorization = await reader.signTypedData(
      openAuthorizationTypedData(usdcDomain, { ...message, nonce, deadline }),
    );
    return usdcManager.write.openOnBehalf(
      [reader.address, receiverAddress, usdcDeposit, session, nonce, deadline, authorization, Number(p.v), p.r, p.s],
      { account: receiver.account },
    );
  }
  async function usdcOneSignatureOpen() {
    const reader = authorizationReader;
    const terms = {
      sender: reader.address,
      receiver: receiverAddress,
      deposit: usdcDeposit,
      signer: session,
      validBefore: (await publicClient.getBlock()).timestamp + 3600n,
    };
    const { v, r, s } = parseSignature(
      await reader.signTypedData(openByReceiveAuthorizationTypedData(usdcTokenDomain, usdcDomain, terms)),
    );
    return usdcManager.write.openByReceiveAuthorization(
      [reader.address, receiverAddress, usdcDeposit, session, terms.validBefore, Number(v), r, s],
      { account: receiver.account },
    );
  }
  let after = "sponsored open (gas the receiver pays)";
  for (const [operation, open] of [
    ["sponsored open, permit + OpenAuthorization (2 signatures), reader's first, USDC", usdcSponsoredPermitOpen],
    ["sponsored open, permit + OpenAuthorization (2 signatures), USDC", usdcSponsoredPermitOpen],
    ["sponsored open, one ReceiveWithAuthorization (1 signature), reader's first, USDC", usdcOneSignatureOpen],
    ["sponsored open, one ReceiveWithAuthorization (1 signature), USDC", usdcOneSignatureOpen],
  ] as const) {
    const ours = await gas(await open());
    usdcRows.push({
      after,
      row: { operation, ours, microRaiden: 120_090, note: "with session key; sender pays 0 gas" },
    });
    after = operation;
  }
  // As on the demo token's channel: two withdrawals first, then the cooperative close.
  const usdcProof = (balance: bigint) =>
    sender.signTypedData(
      balanceProofTypedData(usdcDomain, {
        sender: senderAddress,
        receiver: receiverAddress,
        openBlock: usdcChannel,
        balance,
      }),
    );
  for (const balance of [1n * USDC, 2n * USDC]) {
    await gas(
      await usdcManager.write.withdraw([senderAddress, usdcChannel, balance, await usdcProof(balance)], {
        account: receiver.account,
      }),
    );
  }
  {
    const balance = 3n * USDC;
    const closingSignature = await receiver.signTypedData(
      closingAgreementTypedData(usdcDomain, {
        sender: senderAddress,
        receiver: receiverAddress,
        openBlock: usdcChannel,
        balance,
      }),
    );
    const hash = await usdcManager.write.cooperativeClose(
      [senderAddress, receiverAddress, usdcChannel, balance, await usdcProof(balance), closingSignature],
      { account: other.account },
    );
    usdcRows.push({
      after: "cooperativeClose (both signatures)",
      row: { operation: "cooperativeClose (both signatures), USDC", ours: await gas(hash), microRaiden: 71_182 },
    });
  }
  for (const { after, row } of usdcRows) {
    const index = rows.findIndex((r) => r.operation === after);
    if (index < 0) throw new Error(`no row "${after}"`);
    const note = ["Circle's FiatToken V2.2 behind its proxy", row.note].filter(Boolean).join("; ");
    rows.splice(index + 1, 0, { ...row, note });
  }
}

const fmt = (n: bigint | number) => n.toLocaleString("en-US");
const header = ["operation", "gas (ours)", "µRaiden", "ours / µRaiden", "note"];
const table = rows.map((r) => [
  r.operation,
  fmt(r.ours),
  fmt(r.microRaiden),
  `${((Number(r.ours) / r.microRaiden) * 100).toFixed(1)}%`,
  `${Number(r.ours) <= r.microRaiden ? (Number(r.ours) <= r.microRaiden * 0.8 ? "≤ 80%" : "≤ µRaiden") : "ABOVE µRaiden"}${r.note ? `; ${r.note}` : ""}`,
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => (row[i] ?? "").length)));
const line = (cells: string[]) =>
  `| ${cells.map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(" | ")} |`;
console.log(line(header));
console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of table) console.log(line(row));

const later = rows.find((r) => r.operation === "withdraw (later)")?.ours ?? 0n;
const batchHeader = ["operation", "channels", "gas (total)", "gas per channel", "vs withdraw (later)", "note"];
const batchTable = batchRows.map((r) => {
  const perChannel = r.total / BigInt(r.channels);
  return [
    r.operation,
    String(r.channels),
    fmt(r.total),
    fmt(perChannel),
    `${((Number(perChannel) / Number(later)) * 100).toFixed(1)}%`,
    r.channels === 20 && r.operation.endsWith("(later)")
      ? `target ≤ 20,000, aim 16,000: ${perChannel <= 16_000n ? "met aim" : perChannel <= 20_000n ? "met target" : "MISSED"}`
      : "",
  ];
});
const batchWidths = batchHeader.map((h, i) => Math.max(h.length, ...batchTable.map((row) => (row[i] ?? "").length)));
const batchLine = (cells: string[]) =>
  `| ${cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(batchWidths[i] ?? 0) : c.padStart(batchWidths[i] ?? 0))).join(" | ")} |`;
console.log("");
console.log(batchLine(batchHeader));
console.log(`|${batchWidths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of batchTable) console.log(batchLine(row));
