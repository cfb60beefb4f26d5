import { getSettlement, type PaymentRequirements, type StoredChannel } from "@micro-raiden/web-client";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useEffect, useId, useRef } from "react";
import { useBlockNumber, useConnection } from "wagmi";
import { formatTokenAmount, type TokenInfo } from "../format/formatTokenAmount.ts";
import { useChannel } from "../hooks/useChannel.ts";
import { useCloseChannel } from "../hooks/useCloseChannel.ts";
import { useSettleChannel } from "../hooks/useSettleChannel.ts";
import { useTokenInfo } from "../hooks/useTokenInfo.ts";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { DepositForm } from "./DepositForm.tsx";
import { describeError } from "./describeError.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { gatewayUrlOf } from "./resolveUrl.ts";
import { type StatusSnapshot, saveStatusSnapshot, useStatusSnapshot } from "./statusSnapshot.ts";
import { widgetCss } from "./styles.ts";
import { useFocusOnChange } from "./useFocusOnChange.ts";
import { WalletActivityNotice } from "./WalletActivityNotice.tsx";

export type ChannelStatusProps = {
  /** The site's payment requirements (the same as the paywall's). */
  requirements: PaymentRequirements;
  /** A paid resource of the site: the receiver's REST API is on its origin (for the cooperative close). */
  url: string;
  /**
   * `"panel"` (default): a box beside the content. `"bar"`: one compact row across a paid page (the script tag's
   * `#micro-raiden-status`); the top-up form and notices open below it.
   */
  variant?: "panel" | "bar" | undefined;
};

/** Fewer pages than this left in the deposit: offer a top-up. */
export const lowPages = 5n;

/**
 * The reader's channel on a paid page: deposit, spent and remaining, the pages the budget still pays for, a top-up
 * when fewer than five pages remain, and closing: cooperatively (the rest comes back at once) or, when the site
 * cannot be reached, alone, then settling after the challenge period with the blocks remaining shown.
 *
 * @example
 * import { ChannelStatus, MicroRaidenProvider } from "@micro-raiden/widget";
 * <MicroRaidenProvider>
 *   <ChannelStatus requirements={requirements} url={location.href} />
 * </MicroRaidenProvider>
 */
export function ChannelStatus({ requirements, url, variant = "panel" }: ChannelStatusProps): ReactNode {
  const { messages, locale } = useWidgetContext();
  const { address, status } = useConnection();
  const tokenInfo = useTokenInfo(requirements, address);
  const { data: channel } = useChannel({ requirements });
  const close = useCloseChannel();
  const settle = useSettleChannel();
  const headingId = useId();
  const { token } = tokenInfo;
  const gatewayUrl = gatewayUrlOf(requirements.gatewayPath, url);

  const closedChannel = [settle.data, close.data].find((c) => c?.state === "closed");
  const closedNow = closedChannel !== undefined;
  const refund = useRefund(closedChannel, tokenInfo.refetchBalance);
  // While the wallet reconnects on a freshly loaded page the channel is not known yet: saying "no channel" then would
  // be wrong for a moment on every paid page. An open channel shows once its token's figures can be written.
  const view = closedNow
    ? "closed"
    : channel === undefined && status !== "disconnected"
      ? "loading"
      : !channel
        ? "none"
        : channel.state === "closing"
          ? "closing"
          : token && address
            ? "open"
            : "loading";
  // Meanwhile the bar shows what it showed on the last page (the same row, so nothing below it moves), and keeps
  // what it shows now for the next one.
  const lastShown = useStatusSnapshot(requirements);
  const shown = view === "open" && channel && token ? snapshotOf(channel, token, requirements) : undefined;
  const shownKey = shown ? JSON.stringify(shown, (_, value) => (typeof value === "bigint" ? `${value}` : value)) : view;
  // biome-ignore lint/correctness/useExhaustiveDependencies: shownKey is what is shown, by value.
  useEffect(() => {
    if (view !== "loading") saveStatusSnapshot(requirements, shown);
  }, [shownKey]);
  // What the page loads with (after the wallet reconnected) is no change the reader made: focus stays where it is.
  const loadedView = useRef<typeof view | undefined>(undefined);
  if (view !== "loading" && loadedView.current === undefined) loadedView.current = view;
  const focusRef = useFocusOnChange<HTMLDivElement>(view === "loading" || view === loadedView.current ? "" : view);

  return (
    <section className={variant === "bar" ? "mr-panel mr-status-bar" : "mr-panel"} aria-labelledby={headingId}>
      <style>{widgetCss}</style>
      <h2 id={headingId}>{messages.status.label}</h2>
      <div ref={focusRef} tabIndex={-1} className="mr-step" data-view={view} aria-busy={view === "loading"}>
        {view === "loading" && (
          <LoadingChannel
            lastShown={
              lastShown && (!address || lastShown.sender.toLowerCase() === address.toLowerCase())
                ? lastShown
                : undefined
            }
          />
        )}
        {view === "closed" && token && (
          <p className="mr-ok">
            {refund === undefined
              ? messages.status.closedSettling
              : messages.status.closed(formatTokenAmount(refund, token, locale))}
          </p>
        )}
        {view === "none" && <p>{messages.status.noChannel}</p>}
        {view === "open" && channel && token && address && (
          <OpenChannel
            channel={channel}
            token={token}
            requirements={requirements}
            url={url}
            reader={address}
            balance={tokenInfo.balance}
            faucet={tokenInfo.faucet}
            onBalanceChanged={tokenInfo.refetchBalance}
            closing={close.isPending}
            closeError={close.error}
            onClose={() => close.mutate({ channel, gatewayUrl })}
            onCloseAlone={() => close.mutate({ channel, uncooperative: true })}
          />
        )}
        {view === "closing" && channel && (
          <Challenge channel={channel} settling={settle.isPending} onSettle={() => settle.mutate({ channel })} />
        )}
        {settle.error && <ErrorNotice error={settle.error} />}
      </div>
      <div role="status" aria-live="polite" className="mr-muted">
        <WalletActivityNotice />
      </div>
    </section>
  );
}

function OpenChannel(props: {
  channel: StoredChannel;
  url: string;
  token: TokenInfo;
  requirements: PaymentRequirements;
  reader: `0x${string}`;
  balance: bigint | undefined;
  faucet: boolean;
  onBalanceChanged: () => void;
  closing: boolean;
  closeError: Error | null;
  onClose: () => void;
  onCloseAlone: () => void;
}): ReactNode {
  const { messages } = useWidgetContext();
  const { channel, token, requirements } = props;
  const figures = snapshotOf(channel, token, requirements);
  const pages = (channel.deposit - channel.balance) / figures.pagePrice;
  const closeFailed = props.closeError !== null && !describeError(props.closeError, messages).rejected;
  return (
    <div className="mr-open">
      <ChannelFigures figures={figures} />
      {pages < lowPages && (
        <div className="mr-topup">
          <p className="mr-error">{messages.status.lowBalance}</p>
          <DepositForm
            requirements={requirements}
            url={props.url}
            token={token}
            reader={props.reader}
            balance={props.balance}
            faucet={props.faucet}
            onBalanceChanged={props.onBalanceChanged}
            channel={channel}
          />
        </div>
      )}
      <div className="mr-actions">
        <button
          type="button"
          className="mr-button mr-button-secondary"
          disabled={props.closing}
          onClick={props.onClose}
        >
          {props.closing ? messages.status.closing : messages.status.close}
        </button>
      </div>
      {props.closeError && (
        <div className="mr-wide">
          <ErrorNotice error={props.closeError} />
        </div>
      )}
      {closeFailed && (
        <div className="mr-wide">
          <p>{messages.status.unreachable}</p>
          <button type="button" className="mr-button" disabled={props.closing} onClick={props.onCloseAlone}>
            {messages.status.closeAlone}
          </button>
        </div>
      )}
    </div>
  );
}

/** What the figures of an open channel are made of (and what the next page shows while it loads). */
export function snapshotOf(
  channel: StoredChannel,
  token: TokenInfo,
  requirements: PaymentRequirements,
): StatusSnapshot {
  return {
    sender: channel.sender,
    deposit: channel.deposit,
    balance: channel.balance,
    // Counted at the price the reader accepted for automatic payments, so the figure does not jump as page prices
    // differ; the sentence names that price.
    pagePrice: channel.autoPay?.maxPrice || requirements.price,
    sessionKey: Boolean(channel.sessionKey),
    autoPay: channel.autoPay ? { maxPrice: channel.autoPay.maxPrice, perMinute: channel.autoPay.perMinute } : undefined,
    token: { symbol: token.symbol, decimals: token.decimals },
  };
}

/** Deposit, spent and remaining, the meter, and the pages the rest pays for. */
function ChannelFigures({ figures }: { figures: StatusSnapshot }): ReactNode {
  const { messages, locale } = useWidgetContext();
  const { deposit, balance, pagePrice, token, autoPay } = figures;
  const remaining = deposit - balance;
  const pages = remaining / pagePrice;
  const format = (amount: bigint) => formatTokenAmount(amount, token, locale);
  // Percent of the deposit still there, from bigints: no float sees an amount.
  const percent = deposit > 0n ? Number((remaining * 100n) / deposit) : 0;
  return (
    <>
      {/* Each term with its value, in reading order; the stylesheet lays the groups out as columns. */}
      <dl className="mr-figures">
        <div>
          <dt>{messages.status.deposit}</dt>
          <dd>{format(deposit)}</dd>
        </div>
        <div>
          <dt>{messages.status.spent}</dt>
          <dd>{format(balance)}</dd>
        </div>
        <div>
          <dt>{messages.status.remaining}</dt>
          <dd>{format(remaining)}</dd>
        </div>
      </dl>
      <div className="mr-left">
        <div className="mr-bar" aria-hidden="true">
          <span style={{ width: `${percent}%` }} />
        </div>
        <p>
          {figures.sessionKey
            ? messages.status.budget(pages.toString(), format(pagePrice))
            : messages.status.budgetWallet}
        </p>
        {figures.sessionKey && autoPay && (
          <p className="mr-muted">{messages.status.autoPay(format(autoPay.maxPrice), autoPay.perMinute)}</p>
        )}
      </div>
    </>
  );
}

/**
 * The bar while the wallet reconnects and the channel loads: the figures it showed last (the same row, its close
 * button waiting for the channel), or, on the first paid page, the terms with no figures yet. Never an empty bar.
 */
function LoadingChannel({ lastShown }: { lastShown: StatusSnapshot | undefined }): ReactNode {
  const { messages } = useWidgetContext();
  if (!lastShown) {
    return (
      <div className="mr-open">
        <dl className="mr-figures mr-muted">
          {[messages.status.deposit, messages.status.spent, messages.status.remaining].map((term) => (
            <div key={term}>
              <dt>{term}</dt>
              <dd>…</dd>
            </div>
          ))}
        </dl>
      </div>
    );
  }
  return (
    <div className="mr-open">
      <ChannelFigures figures={lastShown} />
      <div className="mr-actions">
        <button type="button" className="mr-button mr-button-secondary" disabled>
          {messages.status.close}
        </button>
      </div>
    </div>
  );
}

function Challenge(props: { channel: StoredChannel; settling: boolean; onSettle: () => void }): ReactNode {
  const { messages } = useWidgetContext();
  const { channel } = props;
  const { data: head } = useBlockNumber({ chainId: channel.chainId, query: { refetchInterval: 1000 } });
  const left = channel.settleBlock !== undefined && head !== undefined ? channel.settleBlock - head : undefined;
  if (left !== undefined && left > 0n) return <p>{messages.status.challenge(left.toString())}</p>;
  return (
    <button
      type="button"
      className="mr-button"
      disabled={props.settling || left === undefined}
      onClick={props.onSettle}
    >
      {messages.status.settle}
    </button>
  );
}

/**
 * What came back to the reader from a channel just closed, as the chain paid it out (its ChannelSettled event: after
 * a challenge the receiver may have been paid a higher balance than the reader's copy); the reader's token balance is
 * read again once it is known.
 */
function useRefund(channel: StoredChannel | undefined, refetchBalance: () => void): bigint | undefined {
  const { client } = useWidgetContext();
  const { data } = useQuery({
    queryKey: [
      "micro-raiden",
      "refund",
      channel?.chainId,
      channel?.contract,
      channel?.sender,
      channel?.openBlock.toString(),
    ],
    enabled: Boolean(client && channel),
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async () => {
      if (!client || !channel) return null;
      const settlement = await getSettlement(client, { channel });
      refetchBalance();
      return settlement?.senderRefund ?? null;
    },
  });
  return data ?? undefined;
}
