import {
  demoTokenAbi,
  eip3009TokenAbi,
  parseCaip2Network,
  type TokenDomain,
  transferWithAuthorizationAbi,
  transferWithAuthorizationTypedData,
  x402ErrorReasons,
} from "@micro-raiden/web-client/protocol";
import {
  BaseError,
  getAddress,
  isAddressEqual,
  type PublicClient,
  parseSignature,
  recoverTypedDataAddress,
} from "viem";
import type { ReceiverWalletClient } from "../chain/serialWalletClient.ts";
import type { ExactFacilitator } from "./ExactFacilitator.ts";

export type LocalFacilitatorOptions = {
  publicClient: PublicClient;
  /** The receiver's one nonce source (`serialWalletClient`): it pays the gas of every settlement. */
  walletClient: ReceiverWalletClient;
  /** The token's EIP-712 domain (`readExactDomain`). */
  domain: TokenDomain;
  /** Blocks a settlement waits for before the content is served (default 1: mined). */
  confirmations?: number | undefined;
  /** How often to look for the settlement's receipt, in ms (default 1000). */
  pollingInterval?: number | undefined;
  /**
   * Seconds an authorization must still be valid for when it arrives (default 6, as x402's facilitator): enough for
   * the transaction to be mined before `validBefore`.
   */
  validityMarginSeconds?: number | undefined;
};

const now = () => BigInt(Math.floor(Date.now() / 1000));

/**
 * The receiver as its own x402 facilitator for `exact` on its token: verifies the EIP-3009 authorization (signature
 * in the token's domain, payee, amount, validity window, unused nonce, the payer's balance) and settles it with
 * `transferWithAuthorization`, sent through the receiver's one nonce source, then waits for the receipt.
 */
export function localFacilitator(options: LocalFacilitatorOptions): ExactFacilitator {
  const { publicClient, walletClient, domain } = options;
  const confirmations = options.confirmations ?? 1;
  const margin = BigInt(options.validityMarginSeconds ?? 6);
  const refuse = (reason: string, message: string) => ({ valid: false as const, reason, message });

  return {
    async verify(payment, requirement) {
      const { authorization } = payment;
      if (parseCaip2Network(requirement.network) !== domain.chainId) {
        return refuse(x402ErrorReasons.networkMismatch, `This receiver settles on ${requirement.network} only.`);
      }
      if (!isAddressEqual(authorization.to, getAddress(requirement.payTo))) {
        return refuse(x402ErrorReasons.recipientMismatch, "The authorization pays someone else than this receiver.");
      }
      if (authorization.value !== BigInt(requirement.amount)) {
        return refuse(
          x402ErrorReasons.valueMismatch,
          `The authorization moves ${authorization.value}, the price is ${requirement.amount} (token base units).`,
        );
      }
      const time = now();
      if (authorization.validAfter > time) {
        return refuse(x402ErrorReasons.validAfter, "The authorization is not valid yet.");
      }
      if (authorization.validBefore < time + margin) {
        return refuse(
          x402ErrorReasons.validBefore,
          "The authorization has expired, or expires before it can be settled.",
        );
      }
      const signer = await recoverTypedDataAddress({
        ...transferWithAuthorizationTypedData(domain, authorization),
        signature: payment.signature,
      });
      if (!isAddressEqual(signer, authorization.from)) {
        return refuse(
          x402ErrorReasons.signature,
          "The authorization is not signed by its payer in the token's domain.",
        );
      }
      const [used, balance] = await Promise.all([
        publicClient.readContract({
          address: domain.verifyingContract,
          abi: eip3009TokenAbi,
          functionName: "authorizationState",
          args: [authorization.from, authorization.nonce],
        }),
        publicClient.readContract({
          address: domain.verifyingContract,
          abi: demoTokenAbi,
          functionName: "balanceOf",
          args: [authorization.from],
        }),
      ]);
      if (used) return refuse(x402ErrorReasons.nonceUsed, "This authorization was used already.");
      if (balance < authorization.value) {
        return refuse(x402ErrorReasons.insufficientFunds, "The payer's balance does not cover the price.");
      }
      return { valid: true };
    },

    async settle(payment) {
      const { authorization } = payment;
      const { v, r, s, yParity } = parseSignature(payment.signature);
      let transaction: `0x${string}`;
      try {
        // Estimating the gas runs the transfer first: a token that refuses it (blocklist, pause, a nonce just used)
        // fails here, before anything is sent.
        transaction = await walletClient.writeContract({
          chain: null,
          address: domain.verifyingContract,
          abi: transferWithAuthorizationAbi,
          functionName: "transferWithAuthorization",
          args: [
            authorization.from,
            authorization.to,
            authorization.value,
            authorization.validAfter,
            authorization.validBefore,
            authorization.nonce,
            v === undefined ? 27 + yParity : Number(v),
            r,
            s,
          ],
        });
      } catch (error) {
        return {
          success: false,
          sent: false,
          reason: x402ErrorReasons.transactionFailed,
          message: `The token refused the transfer: ${error instanceof BaseError ? error.shortMessage : String(error)}`,
        };
      }
      try {
        const receipt = await publicClient.waitForTransactionReceipt({
          hash: transaction,
          confirmations,
          pollingInterval: options.pollingInterval ?? 1000,
        });
        if (receipt.status !== "success") {
          return {
            success: false,
            sent: false,
            reason: x402ErrorReasons.transactionFailed,
            message: `The transfer ${transaction} reverted.`,
          };
        }
      } catch (error) {
        return {
          success: false,
          sent: true,
          reason: x402ErrorReasons.unexpectedSettle,
          message: `No receipt for ${transaction}: ${error instanceof BaseError ? error.shortMessage : String(error)}`,
        };
      }
      return { success: true, transaction, payer: authorization.from };
    },
  };
}
