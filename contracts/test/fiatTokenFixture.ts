// Set-up for the tests on USDC's own token: Circle's FiatToken V2.2 deployed behind its proxy as on chain
// (scripts/fiatToken.ts), its roles on separate accounts, a channel manager on it, and signing helpers for its
// EIP-2612 permit and EIP-3009 authorizations (USDC's domain: "USD Coin", version "2").
import assert from "node:assert/strict";
import {
  permitTypedData,
  receiveWithAuthorizationTypedData,
  transferWithAuthorizationTypedData,
} from "@micro-raiden/web-client/protocol";
import { type Address, BaseError, ContractFunctionRevertedError, getAddress, type Hex, parseSignature } from "viem";
import { generatePrivateKey } from "viem/accounts";
import { deployFiatToken, USDC_NAME, USDC_VERSION } from "../scripts/fiatToken.ts";
import { CHALLENGE_PERIOD, deployFixture, zeroAddress } from "./fixture.ts";

/** One USDC in base units (6 decimals). */
export const USDC = 10n ** 6n;

export const cancelAuthorizationTypes = {
  CancelAuthorization: [
    { name: "authorizer", type: "address" },
    { name: "nonce", type: "bytes32" },
  ],
} as const;

export type Authorization = {
  from: Address;
  to: Address;
  value: bigint;
  validAfter: bigint;
  validBefore: bigint;
  nonce: Hex;
};

/** A fresh random 32-byte EIP-3009 nonce, as a client draws one. */
export const randomNonce = (): Hex => generatePrivateKey();

export async function deployFiatTokenFixture() {
  const f = await deployFixture();
  const wallets = await f.viem.getWalletClients();
  const wallet = (index: number) => {
    const client = wallets.at(index);
    assert.ok(client, `Hardhat account ${index} missing`);
    return client;
  };
  // Roles on accounts of their own, so a test can tell who may do what. The deployer (account 0) is the token's
  // owner and the MasterMinter's owner and controller.
  const pauser = wallet(6);
  const blacklister = wallet(7);
  const minter = wallet(8);
  const proxyAdmin = wallet(9);
  const deployment = await deployFiatToken({
    publicClient: f.publicClient,
    wallet: f.deployer,
    roles: {
      proxyAdmin: proxyAdmin.account.address,
      pauser: pauser.account.address,
      blacklister: blacklister.account.address,
    },
    minter: { address: minter.account.address, allowance: 1_000_000_000n * USDC },
  });
  const usdc = await f.viem.getContractAt("IFiatTokenV2_2", deployment.token);
  const manager = await f.viem.deployContract("ChannelManager", [usdc.address, CHALLENGE_PERIOD]);
  for (const holder of [f.sender, f.sender2, f.other]) {
    await f.mined(await usdc.write.mint([holder.account.address, 1_000_000n * USDC], { account: minter.account }));
  }
  const chainId = f.chainId;
  const tokenDomain = {
    name: USDC_NAME,
    version: USDC_VERSION,
    chainId,
    verifyingContract: getAddress(usdc.address),
  } as const;
  const now = async () => (await f.publicClient.getBlock()).timestamp;

  /** Signs an EIP-2612 permit on USDC letting `spender` (the manager by default) pull `value` of `owner`'s tokens. */
  async function signPermit(
    owner = f.sender,
    value = 100n * USDC,
    options: { deadline?: bigint; spender?: Address; nonce?: bigint } = {},
  ) {
    const message = {
      owner: getAddress(owner.account.address),
      spender: getAddress(options.spender ?? manager.address),
      value,
      nonce: options.nonce ?? (await usdc.read.nonces([owner.account.address])),
      deadline: options.deadline ?? (await now()) + 3600n,
    };
    const signature = await owner.signTypedData(permitTypedData(tokenDomain, message));
    const { r, s, v } = parseSignature(signature);
    return { ...message, v: Number(v), r, s, signature };
  }

  /** An authorization from `signer`'s account (unless `from` says otherwise), valid from now for an hour. */
  async function authorization(
    signer: typeof f.sender,
    fields: Partial<Authorization> & { to: Address; value: bigint },
  ): Promise<Authorization> {
    return {
      from: getAddress(signer.account.address),
      validAfter: 0n,
      validBefore: (await now()) + 3600n,
      nonce: randomNonce(),
      ...fields,
    };
  }

  /** Signs an EIP-3009 TransferWithAuthorization or ReceiveWithAuthorization with `signer`'s key. */
  async function signAuthorization(kind: "transfer" | "receive", signer: typeof f.sender, message: Authorization) {
    const signature =
      kind === "transfer"
        ? await signer.signTypedData(transferWithAuthorizationTypedData(tokenDomain, message))
        : await signer.signTypedData(receiveWithAuthorizationTypedData(tokenDomain, message));
    const { r, s, v } = parseSignature(signature);
    return { v: Number(v), r, s, signature };
  }

  /** Signs an EIP-3009 CancelAuthorization of `nonce` with `signer`'s key. */
  async function signCancel(signer: typeof f.sender, authorizer: Address, nonce: Hex) {
    const signature = await signer.signTypedData({
      domain: tokenDomain,
      types: cancelAuthorizationTypes,
      primaryType: "CancelAuthorization",
      message: { authorizer, nonce },
    });
    const { r, s, v } = parseSignature(signature);
    return { v: Number(v), r, s, signature };
  }

  /** Sends `transferWithAuthorization` / `receiveWithAuthorization` (v, r, s form) as `caller`. */
  async function submitAuthorization(
    kind: "transfer" | "receive",
    caller: typeof f.sender,
    a: Authorization,
    sig: { v: number; r: Hex; s: Hex },
  ) {
    const args = [a.from, a.to, a.value, a.validAfter, a.validBefore, a.nonce, sig.v, sig.r, sig.s] as const;
    const hash =
      kind === "transfer"
        ? await usdc.write.transferWithAuthorization(args, { account: caller.account })
        : await usdc.write.receiveWithAuthorization(args, { account: caller.account });
    return f.publicClient.waitForTransactionReceipt({ hash });
  }

  const balanceOf = (address: Address) => usdc.read.balanceOf([address]);

  /** Opens a channel on USDC with approve + createChannel and returns its open block. */
  async function openChannel(
    from = f.sender,
    to: Address = f.receiver.account.address,
    deposit = 100n * USDC,
    signer: Address = zeroAddress,
  ) {
    await usdc.write.approve([manager.address, deposit], { account: from.account });
    const hash = await manager.write.createChannel([to, deposit, signer], { account: from.account });
    return (await f.mined(hash)).receipt.blockNumber;
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

  /** Runs `block` with `accounts` blacklisted, and lifts the blacklist after it whatever happens. */
  async function whileBlacklisted<T>(accounts: readonly Address[], block: () => Promise<T>): Promise<T> {
    for (const account of accounts) await usdc.write.blacklist([account], { account: blacklister.account });
    try {
      return await block();
    } finally {
      for (const account of accounts) await usdc.write.unBlacklist([account], { account: blacklister.account });
    }
  }

  /** Runs `block` with the token paused, and unpauses it after. */
  async function whilePaused<T>(block: () => Promise<T>): Promise<T> {
    await usdc.write.pause({ account: pauser.account });
    try {
      return await block();
    } finally {
      await usdc.write.unpause({ account: pauser.account });
    }
  }

  return {
    mined: f.mined,
    viem: f.viem,
    networkHelpers: f.networkHelpers,
    publicClient: f.publicClient,
    deployer: f.deployer,
    sender: f.sender,
    receiver: f.receiver,
    other: f.other,
    sender2: f.sender2,
    receiver2: f.receiver2,
    chainId,
    deployment,
    usdc,
    manager,
    domain: { chainId, contract: getAddress(manager.address) },
    tokenDomain,
    pauser,
    blacklister,
    minter,
    proxyAdmin,
    now,
    balanceOf,
    openChannel,
    channelInfo,
    signPermit,
    authorization,
    signAuthorization,
    signCancel,
    submitAuthorization,
    whileBlacklisted,
    whilePaused,
  };
}

/** Asserts that `promise` reverts with FiatToken's revert string `reason` (it has no custom errors). */
export async function expectRevertReason(promise: Promise<unknown>, reason: string) {
  await assert.rejects(promise, (error: unknown) => {
    const reverted = error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError);
    assert.ok(
      reverted instanceof ContractFunctionRevertedError,
      `expected a revert "${reason}", got: ${error instanceof Error ? error.message : String(error)}`,
    );
    assert.equal(reverted.reason, reason);
    return true;
  });
}
