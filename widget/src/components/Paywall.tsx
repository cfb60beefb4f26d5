import {
  autoPayLimit,
  autoPayRefusal,
  type ChannelClient,
  channelAutoPay,
  type PaymentRequirements,
  type StoredChannel,
} from "@micro-raiden/web-client";
import { useIsMutating } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useRef, useState } from "react";
import { useConnection } from "wagmi";
import { formatTokenAmount, type TokenInfo } from "../format/formatTokenAmount.ts";
import { channelOpeningKey } from "../hooks/channelQueryKey.ts";
import { useChannel } from "../hooks/useChannel.ts";
import { useDelegateSigner } from "../hooks/useDelegateSigner.ts";
import { usePreviousSettlement } from "../hooks/usePreviousSettlement.ts";
import { useReceiverChannelState } from "../hooks/useReceiverChannelState.ts";
import { useTokenInfo } from "../hooks/useTokenInfo.ts";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { ConnectStep } from "./ConnectStep.tsx";
import { DepositForm } from "./DepositForm.tsx";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { gatewayUrlOf } from "./resolveUrl.ts";
import { SwitchChainStep } from "./SwitchChainStep.tsx";
import { widgetCss } from "./styles.ts";
import { useFocusOnChange } from "./useFocusOnChange.ts";
import { WalletActivityNotice } from "./WalletActivityNotice.tsx";

/**
 * What `onChannelReady` gets: the client to pay with and the channel that can pay for the resource, and the price
 * the reader approved when it is more than the channel pays automatically (pass it on as `approvedPrice`).
 */
export type ChannelReadyContext = { client: ChannelClient; channel: StoredChannel; approvedPrice?: bigint | undefined };

export type PaywallProps = {
  /** What the resource costs and where to pay: `decodePaywallAttributes` of the 402 page, or a 402's headers. */
  requirements: PaymentRequirements;
  /** The paid resource (absolute, or relative to this page); the receiver's REST API is on its origin. */
  url: string;
  /** Called once a channel with enough deposit is open and the site accepts it; without it the panel says "ready". */
  onChannelReady?: ((context: ChannelReadyContext) => void | Promise<void>) | undefined;
  /**
   * The token's symbol and decimals when the page knows them (the receiver's 402 page says them: the protocol's
   * `decodePaywallSite`): the price is drawn at once, before any chain read, and stays when a read fails.
   */
  token?: TokenInfo | undefined;
};

type Step = "connect" | "switch" | "loading" | "deposit" | "topUp" | "confirming" | "delegate" | "approve" | "ready";

/**
 * The reader's paywall: the price in tokens, then connect, switch network, get test tokens, choose the deposit and
 * how to pay, watch the channel confirm, and be ready to read. Every step works by keyboard; focus moves to the
 * new step; progress is announced.
 *
 * @example
 * import { fetchWithPayment } from "@micro-raiden/web-client";
 * import { MicroRaidenProvider, Paywall } from "@micro-raiden/widget";
 * // A relative url needs the app on the receiver's origin (else the absolute URL, and the receiver's --cors-origin).
 * <MicroRaidenProvider>
 *   <Paywall
 *     requirements={requirements}
 *     url={url}
 *     onChannelReady={async ({ client, approvedPrice }) => {
 *       // Fetch it paid and render it: a reload would fetch the 402 again, and the paywall would reload again.
 *       const response = await fetchWithPayment(client, { input: url, approvedPrice });
 *       setArticle(await response.text());
 *     }}
 *   />
 * </MicroRaidenProvider>
 */
export function Paywall({ requirements, url, onChannelReady, token: knownToken }: PaywallProps): ReactNode {
  const { messages, locale, client, clientError, retryClient, confirmations: needed } = useWidgetContext();
  const { address, status, chainId } = useConnection();
  const tokenInfo = useTokenInfo(requirements, address, knownToken);
  const { data: channel } = useChannel({ requirements });
  const gatewayUrl = gatewayUrlOf(requirements.gatewayPath, url);
  const usable = channel?.state === "open" ? channel : undefined;
  // While an open runs, the deposit form shows its progress; the channel it makes counts once it has its key.
  const opening = useIsMutating({ mutationKey: channelOpeningKey }) > 0;
  const receiverView = useReceiverChannelState(client, usable, gatewayUrl);
  // Beyond what the channel pays automatically (a pricier page, or a script paying in a loop), the reader decides.
  const [approved, setApproved] = useState<bigint>();
  const limit = client?.signing === "session" && usable?.sessionKey ? channelAutoPay(usable, client.policy) : undefined;
  // The very rule `pay` refuses on (web-client's autoPayRefusal), so the paywall asks exactly when the payment would fail.
  const aboveLimit =
    limit !== undefined && usable && approved !== requirements.price
      ? autoPayRefusal(usable, requirements.price, Date.now(), client?.policy)
      : undefined;
  // Opened "Automatically" on another site (a blog's paid fragment), whose storage holds its key: this site can get
  // its own key with one signature (a SignerDelegation, no transaction), unless the reader prefers the wallet here.
  const delegate = useDelegateSigner();
  const [walletHere, setWalletHere] = useState(false);
  const keyElsewhere = client?.signing === "session" && !!usable?.delegatedSigner && !usable.sessionKey;
  const delegateHere = () => {
    if (client && usable)
      delegate.mutate({ channel: usable, autoPay: autoPayLimit(client.policy, requirements.price) });
  };

  const step: Step =
    status !== "connected" || !address
      ? "connect"
      : chainId !== requirements.chainId
        ? "switch"
        : !client || channel === undefined || !tokenInfo.token
          ? "loading"
          : !usable || opening
            ? "deposit"
            : usable.deposit - usable.balance < requirements.price
              ? "topUp"
              : receiverView.data?.state !== "open"
                ? "confirming"
                : keyElsewhere && !walletHere
                  ? "delegate"
                  : aboveLimit
                    ? "approve"
                    : "ready";

  const [readyError, setReadyError] = useState<unknown>();
  const handled = useRef<string | undefined>(undefined);
  const readyKey = step === "ready" && usable ? `${usable.sender}:${usable.openBlock}` : undefined;
  const proceed = () => {
    if (!onChannelReady || !client || !usable) return;
    setReadyError(undefined);
    // Storage has the latest of the channel (its session key, a payment from another tab) whatever the query held.
    client.storage
      .get(usable)
      .then((latest) => onChannelReady({ client, channel: latest ?? usable, approvedPrice: approved }))
      .catch(setReadyError);
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per ready channel, whatever else re-renders.
  useEffect(() => {
    if (!readyKey || handled.current === readyKey) return;
    handled.current = readyKey;
    proceed();
  }, [readyKey]);

  // Coming back after a close this browser did not watch (the site's challenge, another device): how it ended.
  const { data: previous } = usePreviousSettlement({ requirements, enabled: step === "deposit" && !usable });
  const focusRef = useFocusOnChange<HTMLDivElement>(step);
  const headingId = useId();
  const { token } = tokenInfo;
  const price = token ? formatTokenAmount(requirements.price, token, locale) : undefined;

  return (
    <section className="mr-panel" aria-labelledby={headingId}>
      <style>{widgetCss}</style>
      <h2 id={headingId} className="mr-price">
        {price ? messages.price(price) : tokenInfo.failed ? messages.priceUnavailable : messages.priceUnknown}
      </h2>
      {/* The chain could not be read (no RPC for it, a node down): say so and offer to read again, price or not. */}
      {tokenInfo.failed && (
        <ErrorNotice error={tokenInfo.error} sentence={messages.chainUnreadable} onRetry={tokenInfo.retry} />
      )}
      <div ref={focusRef} tabIndex={-1} className="mr-step" data-step={step}>
        {step === "connect" && <ConnectStep />}
        {step === "switch" && <SwitchChainStep requirements={requirements} />}
        {step === "loading" && clientError !== undefined && <ErrorNotice error={clientError} onRetry={retryClient} />}
        {step === "deposit" && !usable && previous && token && (
          <p>
            {messages.previousSettled(
              formatTokenAmount(previous.settlement.balance, token, locale),
              formatTokenAmount(previous.settlement.senderRefund, token, locale),
            )}
          </p>
        )}
        {(step === "deposit" || step === "topUp") && token && address && (
          <DepositForm
            requirements={requirements}
            url={url}
            token={token}
            reader={address}
            balance={tokenInfo.balance}
            faucet={tokenInfo.faucet}
            onBalanceChanged={tokenInfo.refetchBalance}
            channel={step === "topUp" ? usable : undefined}
          />
        )}
        {step === "confirming" && (
          <div>
            <p>{messages.waitingForSite}</p>
            <progress
              className="mr-progress"
              max={needed ?? undefined}
              value={needed === undefined ? undefined : Math.min(receiverView.data?.confirmations ?? 0, needed)}
              aria-label={messages.confirmations(receiverView.data?.confirmations ?? 0, needed)}
            />
          </div>
        )}
        {step === "delegate" && usable && client && token && (
          <div>
            <p>
              {messages.keyElsewhereOffer(
                formatTokenAmount(
                  autoPayLimit(client.policy, requirements.price)?.maxPrice ?? requirements.price,
                  token,
                  locale,
                ),
              )}
            </p>
            <button type="button" className="mr-button" disabled={delegate.isPending} onClick={delegateHere}>
              {messages.delegateHere}
            </button>{" "}
            <button type="button" className="mr-button mr-button-secondary" onClick={() => setWalletHere(true)}>
              {messages.walletHere}
            </button>
            {delegate.error && <ErrorNotice error={delegate.error} onRetry={delegateHere} />}
          </div>
        )}
        {step === "approve" && limit && price && token && (
          <div>
            <p>
              {aboveLimit === "rate"
                ? messages.autoPayRateReached(limit.perMinute)
                : // Opened before channels carried a limit, on a site that declares none: this approval sets it.
                  limit.maxPrice === 0n
                  ? messages.autoPayUnset(price)
                  : messages.aboveAutoPay(price, formatTokenAmount(limit.maxPrice, token, locale))}
            </p>
            <button type="button" className="mr-button" onClick={() => setApproved(requirements.price)}>
              {messages.payOnce(price)}
            </button>
          </div>
        )}
        {step === "ready" && !onChannelReady && <p className="mr-ok">{messages.ready}</p>}
        {/* Its session key lives in another origin's storage (a content site's fragment opened it): say why this
            page asks the wallet for every payment. */}
        {(step === "ready" || step === "approve") && usable?.delegatedSigner && !usable.sessionKey && (
          <p className="mr-muted">{messages.keyElsewhere}</p>
        )}
        {/* A payment the reader refused or that failed: say so, and let them try again (never a dead end). */}
        {step === "ready" && readyError !== undefined && <ErrorNotice error={readyError} onRetry={proceed} />}
      </div>
      <div role="status" aria-live="polite" className="mr-muted">
        <WalletActivityNotice />
        {step === "confirming" && <p>{messages.confirmations(receiverView.data?.confirmations ?? 0, needed)}</p>}
        {step === "ready" && onChannelReady && readyError === undefined && <p>{messages.ready}</p>}
      </div>
    </section>
  );
}
