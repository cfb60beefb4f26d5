import { balanceProofSignature, demoTokenAbi, type PaywallSite } from "@micro-raiden/web-client/protocol";
import type { PublicClient } from "viem";
import type { ClaimResult } from "../chain/claimCredit.ts";
import type { Operator } from "../chain/operator.ts";
import type { OperatorActivity } from "../chain/operatorActivity.ts";
import type { SponsoredOpener } from "../http/sponsoredOpener.ts";
import type { ChannelInfo, Receiver, TokenInfo } from "../Receiver.ts";
import type { ReceiverExact } from "../x402/ExactFacilitator.ts";
import type { ChannelView } from "./channelBook.ts";
import type { ReceiverCore } from "./createReceiverCore.ts";

/** The operator was not given: `withdraw` and `closeAll` cannot send transactions. */
function noOperator(): never {
  throw new Error("This receiver has no operator: it was started without a wallet.");
}

/**
 * The public face of a receiver core: what the paywall, the REST API and site code may use, and nothing of its
 * insides (channel book, store, chain head). `startReceiver` builds one; tests build one around a core they drive.
 */
export function receiverFromCore(
  core: ReceiverCore,
  parts: {
    publicClient: PublicClient;
    /** The token's symbol and decimals (`readTokenInfo`); without them prices are shown in base units. */
    token?: TokenInfo | undefined;
    /** What the 402 page tells the paywall about the chain and the token. */
    site?: PaywallSite | undefined;
    operator?: Operator | undefined;
    sponsor?: SponsoredOpener | undefined;
    /** x402's `exact` scheme, for a token with EIP-3009. */
    exact?: ReceiverExact | undefined;
    /** Claims the receiver's credit on chain (`claimCredit`). */
    claim?: (() => Promise<ClaimResult>) | undefined;
    sync?: (() => Promise<void>) | undefined;
    close?: (() => Promise<void>) | undefined;
    /** What the operator's commands logged lately (none without them). */
    operatorActivity?: (() => OperatorActivity[]) | undefined;
    /** The watcher's view of the receiver's claimable credit (0 without one). */
    claimableCredit?: (() => bigint) | undefined;
  },
): Receiver {
  const info = (channel: ChannelView): ChannelInfo => ({
    sender: channel.sender,
    openBlock: channel.openBlock,
    state: core.status(channel),
    deposit: core.deposit(channel),
    balance: channel.balance,
    withdrawn: channel.withdrawn,
    balanceSignature: channel.signature && balanceProofSignature(channel.signature),
  });
  const { operator } = parts;
  return {
    address: core.address,
    deployment: core.deployment,
    token: parts.token ?? { address: core.deployment.token, symbol: "base units", decimals: 0 },
    gatewayPath: core.gatewayPath,
    site: parts.site ?? {},
    requestTimeoutMs: core.requestTimeoutMs,
    sponsor: parts.sponsor,
    exact: parts.exact,
    requirements: core.requirements,
    acceptPayment: core.acceptPayment,
    closingSignature: core.closingSignature,
    getChannel(sender, openBlock) {
      const channel = core.book.get(sender, openBlock);
      return channel && info(channel);
    },
    listChannels(filter = {}) {
      const found: ChannelInfo[] = [];
      // Settled channels (most, over time) are left in the store unless asked for.
      const unsettled = filter.states !== undefined && !filter.states.includes("settled");
      for (const channel of core.book.select({ sender: filter.sender, unsettled })) {
        const described = info(channel);
        if (filter.states && !filter.states.includes(described.state)) continue;
        found.push(described);
      }
      return found;
    },
    readiness: core.readiness,
    earnings: (since) => core.store.loadEarnings(since),
    operatorActivity: parts.operatorActivity ?? (() => []),
    sharedState: core.shared,
    async getStats() {
      const liquidBalance = await parts.publicClient.readContract({
        address: core.deployment.token,
        abi: demoTokenAbi,
        functionName: "balanceOf",
        args: [core.address],
      });
      return {
        ...(await core.totals()),
        liquidBalance,
        token: core.deployment.token,
        contract: core.deployment.channelManager,
        receiver: core.address,
        chainId: core.deployment.chainId,
      };
    },
    canOperate: operator !== undefined,
    withdraw: async (threshold) => (operator ?? noOperator()).withdraw(threshold),
    closeAll: async () => (operator ?? noOperator()).closeAll(),
    claimableCredit: parts.claimableCredit ?? (() => 0n),
    async claim() {
      const claimed = await (parts.claim ?? noOperator)();
      await parts.sync?.();
      return claimed;
    },
    sync: parts.sync ?? (async () => {}),
    close: parts.close ?? (async () => {}),
  };
}
