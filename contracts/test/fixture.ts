// Shared set-up for the contract tests: a fresh in-process chain with the demo token and a channel manager,
// funded senders, and helpers that sign exactly what the web client signs (typed data from the protocol module).
import assert from "node:assert/strict";
import {
  balanceProofTypedData,
  channelManagerAbi,
  closingAgreementTypedData,
  demoTokenAbi,
  permitTypedData,
} from "@micro-raiden/web-client/protocol";
import { network } from "hardhat";
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  decodeErrorResult,
  getAddress,
  type Hex,
  isHex,
  parseEventLogs,
  parseSignature,
  serializeSignature,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

export const CHALLENGE_PERIOD = 500n;
export const TOKENS = 10n ** 18n;

type BalanceProofTypedData = ReturnType<typeof balanceProofTypedData>;
type ClosingAgreementTypedData = ReturnType<typeof closingAgreementTypedData>;
/** Anything that signs EIP-712 typed data the way viem does: a wallet client or a local account. */
type TypedDataSigner<T> = { signTypedData(typedData: T): Promise<Hex> };

export async function deployFixture() {
  const connection = await network.create();
  const { viem, networkHelpers } = connection;
  const publicClient = await viem.getPublicClient();
  const wallets = await viem.getWalletClients();
  const wallet = (index: number) => {
    const client = wallets.at(index);
    assert.ok(client, `Hardhat account ${index} missing`);
    return client;
  };
  const deployer = wallet(0);
  const sender = wallet(1);
  const receiver = wallet(2);
  const other = wallet(3);
  const sender2 = wallet(4);
  const receiver2 = wallet(5);
  const token = await viem.deployContract("DemoToken", ["Demo Token", "TKN", deployer.account.address]);
  const manager = await viem.deployContract("ChannelManager", [token.address, CHALLENGE_PERIOD]);
  for (const wallet of [sender, sender2, other]) {
    await token.write.mint([wallet.account.address, 1_000_000n * TOKENS]);
  }
  const chainId = await publicClient.getChainId();
  const domain = { chainId, contract: getAddress(manager.address) };

  /** Opens a channel with approve + createChannel and returns its open block. */
  async function openChannel(
    from = sender,
    to: Address = receiver.account.address,
    deposit = 100n * TOKENS,
    signer: Address = zeroAddress,
  ) {
    await token.write.approve([manager.address, deposit], { account: from.account });
    const hash = await manager.write.createChannel([to, deposit, signer], { account: from.account });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    return receipt.blockNumber;
  }

  /** Signs an EIP-2612 permit letting the manager pull `value` of `owner`'s tokens, as the web client does. */
  async function signPermit(owner = sender, value = 100n * TOKENS, deadline?: bigint) {
    const [nonce, block] = await Promise.all([token.read.nonces([owner.account.address]), publicClient.getBlock()]);
    const message = {
      owner: getAddress(owner.account.address),
      spender: getAddress(manager.address),
      value,
      nonce,
      deadline: deadline ?? block.timestamp + 3600n,
    };
    const typedData = permitTypedData(
      { name: "Demo Token", version: "1", chainId, verifyingContract: getAddress(token.address) },
      message,
    );
    const { r, s, v } = parseSignature(await owner.signTypedData(typedData));
    return { ...message, v: Number(v), r, s };
  }

  /** Waits for a transaction and returns its receipt and the manager events it emitted. */
  async function mined(hash: Hex) {
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    const events = parseEventLogs({ abi: channelManagerAbi, logs: receipt.logs });
    return { receipt, events };
  }

  /** The channel's on-chain state, by name. */
  async function channelInfo(sender: Address, receiver: Address, openBlock: bigint) {
    const [key, deposit, withdrawn, settleBlock, closingBalance, signer] = await manager.read.getChannelInfo([
      sender,
      receiver,
      openBlock,
    ]);
    return { key, deposit, withdrawn, settleBlock, closingBalance, signer };
  }

  const balanceOf = (address: Address) => token.read.balanceOf([address]);

  return {
    mined,
    channelInfo,
    balanceOf,
    signPermit,
    connection,
    viem,
    networkHelpers,
    publicClient,
    deployer,
    sender,
    receiver,
    other,
    sender2,
    receiver2,
    token,
    manager,
    chainId,
    domain,
    openChannel,
  };
}

export const zeroAddress: Address = "0x0000000000000000000000000000000000000000";

export function signBalanceProof(
  signer: TypedDataSigner<BalanceProofTypedData>,
  domain: { chainId: number; contract: Address },
  message: { sender: Address; receiver: Address; openBlock: bigint; balance: bigint },
): Promise<Hex> {
  return signer.signTypedData(balanceProofTypedData(domain, message));
}

export function signClosingAgreement(
  signer: TypedDataSigner<ClosingAgreementTypedData>,
  domain: { chainId: number; contract: Address },
  message: { sender: Address; receiver: Address; openBlock: bigint; balance: bigint },
): Promise<Hex> {
  return signer.signTypedData(closingAgreementTypedData(domain, message));
}

/** A fresh session key, as the web client generates for a channel's delegated signer. */
export function newSessionKey() {
  return privateKeyToAccount(generatePrivateKey());
}

const secp256k1n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/** The same signature with s replaced by n - s and v flipped: valid for ecrecover, rejected as malleable. */
export function malleate(signature: Hex): Hex {
  const { r, s, yParity } = parseSignature(signature);
  const highS = secp256k1n - BigInt(s);
  return serializeSignature({
    r,
    s: `0x${highS.toString(16).padStart(64, "0")}`,
    yParity: yParity === 0 ? 1 : 0,
  });
}

// Errors of both contracts (and the OpenZeppelin errors they use), so a revert is decoded whichever contract the
// transaction entered through: an ERC-1363 open enters through the token but reverts in the manager.
const errorAbi = [...channelManagerAbi, ...demoTokenAbi].filter((item) => item.type === "error");

function revertData(error: unknown): Hex | undefined {
  if (!(error instanceof BaseError)) return undefined;
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError);
  if (reverted instanceof ContractFunctionRevertedError && reverted.raw) return reverted.raw;
  const withData = error.walk((e) => typeof e === "object" && e !== null && "data" in e && isHex(e.data));
  return withData && typeof withData === "object" && "data" in withData && isHex(withData.data)
    ? withData.data
    : undefined;
}

/**
 * Asserts that `promise` reverts with the custom error `errorName` (and `args`, when given). `extraAbi` adds the
 * errors of other contracts the transaction may revert in (a test token).
 */
export async function expectRevert(
  promise: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
  extraAbi: Abi = [],
) {
  await assert.rejects(promise, (error: unknown) => {
    const data = revertData(error);
    assert.ok(data, `expected a revert with ${errorName}, got: ${error instanceof Error ? error.message : error}`);
    const decoded = decodeErrorResult({ abi: [...errorAbi, ...extraAbi], data });
    assert.equal(decoded.errorName, errorName);
    if (args) assert.deepEqual(decoded.args, args);
    return true;
  });
}
