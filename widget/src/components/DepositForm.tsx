import {
  autoPayLimit,
  type ChannelClient,
  detectDepositMethod,
  type OpenChannelParameters,
  openChannel,
  type PaymentRequirements,
  ReceiverApiError,
  type SigningMode,
  type StoredChannel,
  sponsoredOpenKind,
} from "@micro-raiden/web-client";
import type { SponsoredOpenKind } from "@micro-raiden/web-client/protocol";
import { useQuery } from "@tanstack/react-query";
import { type ReactNode, useId, useState } from "react";
import type { Address } from "viem";
import { formatTokenAmount, parseTokenAmount, type TokenInfo, tokenAmountInput } from "../format/formatTokenAmount.ts";
import { channelOpeningKey } from "../hooks/channelQueryKey.ts";
import { useChannelMutation } from "../hooks/useChannelMutation.ts";
import { useEtherBalance } from "../hooks/useEtherBalance.ts";
import { useSponsorOffer } from "../hooks/useSponsorOffer.ts";
import { useTopUp } from "../hooks/useTopUp.ts";
import type { Messages } from "../i18n/en.ts";
import { useWidgetContext } from "../provider/WidgetContext.ts";
import { ErrorNotice } from "./ErrorNotice.tsx";
import { FaucetButton } from "./FaucetButton.tsx";
import { resolveUrl } from "./resolveUrl.ts";

export type DepositFormProps = {
  requirements: PaymentRequirements;
  /** The paid resource: its 402 says whether the receiver sponsors the open. */
  url: string;
  token: TokenInfo;
  reader: Address;
  /** The reader's token balance, when known. */
  balance: bigint | undefined;
  faucet: boolean;
  onBalanceChanged: () => void;
  /** Top up this channel instead of opening one. */
  channel?: StoredChannel | undefined;
};

/** How many pages a deposit pays for by default. */
export const defaultPages = 100n;

/**
 * The deposit (default 100 × the price, editable in tokens) and, when opening, how to pay: automatically with a
 * session key up to the deposit (default) or confirming each payment in the wallet. Offers the faucet when the
 * reader holds too little of a demo token. A reader with no ether is never sent to a transaction: the receiver's
 * sponsored open when it applies, else a sentence saying what is missing (and the sponsor's minimum deposit).
 */
export function DepositForm(props: DepositFormProps): ReactNode {
  const { requirements, token, channel } = props;
  const { messages, locale, client, signing: defaultSigning, policy } = useWidgetContext();
  const [text, setText] = useState(() => tokenAmountInput(requirements.price * defaultPages, token.decimals, locale));
  const [signing, setSigning] = useState<SigningMode>(defaultSigning);
  const open = useChannelMutation(openSponsoredOrNot, { mutationKey: channelOpeningKey });
  const { offer, pending: offerPending } = useSponsorOffer(props.url);
  const ether = useEtherBalance(props.reader, requirements.chainId);
  const topUp = useTopUp();
  const mutation = channel ? topUp : open;
  const inputId = useId();
  const helpId = useId();
  const methodId = useId();
  const method = useQuery({
    queryKey: ["micro-raiden", "deposit-method", requirements.chainId, requirements.token],
    enabled: Boolean(client),
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: () => (client ? detectDepositMethod(client, { token: requirements.token }) : null),
  });

  const amount = parseTokenAmount(text, token.decimals, locale);
  // What the new channel pays without a prompt: the site's declared ceiling, else this page's price.
  const autoPay = autoPayLimit(policy, requirements.price);
  const valid = amount !== undefined && amount >= requirements.price;
  const short = valid && props.balance !== undefined && props.balance < amount;
  // The receiver pays the gas when it offers to, for a deposit it accepts and a request its offer takes that the token
  // allows (on an EIP-3009 token such as USDC, one signature when the offer takes that): the default then.
  const kind = !channel && offer && method.data ? sponsoredOpenKind(offer, method.data) : undefined;
  const sponsor = kind ? offer : undefined;
  const sponsorUrl =
    sponsor && valid && amount >= sponsor.minDeposit
      ? resolveUrl(sponsor.path, resolveUrl(props.url).href).href
      : undefined;
  // Until the offer and the token's method are known, so is not whether the reader would be sent a transaction.
  const deciding = !channel && (offerPending || method.isPending);
  const noEther = !deciding && !sponsorUrl && ether === 0n;
  const submit = () => {
    if (!valid || short || deciding || noEther) return;
    if (channel) topUp.mutate({ channel, amount });
    // With no ether, a refused sponsored open cannot fall back to the reader's own transaction.
    else {
      open.mutate({
        parameters: { ...requirements, deposit: amount, signing, autoPay },
        sponsorUrl,
        kind,
        fallback: ether !== 0n,
      });
    }
  };

  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="mr-field">
        <label htmlFor={inputId}>
          {messages.depositLabel} ({token.symbol})
        </label>
        <input
          id={inputId}
          inputMode="decimal"
          autoComplete="off"
          value={text}
          aria-invalid={!valid}
          aria-describedby={helpId}
          onChange={(event) => setText(event.target.value)}
        />
        <span id={helpId} className={valid ? "mr-muted" : "mr-error"}>
          {valid ? messages.depositHelp((amount / requirements.price).toString()) : messages.depositInvalid}
        </span>
      </div>
      {!channel && (
        <fieldset>
          <legend>{messages.modeLegend}</legend>
          {(["session", "wallet"] as const).map((mode) => (
            <div key={mode}>
              <label>
                <input
                  type="radio"
                  name="mr-signing"
                  value={mode}
                  checked={signing === mode}
                  onChange={() => setSigning(mode)}
                />{" "}
                {mode === "session"
                  ? messages.modeSession(formatTokenAmount(autoPay?.maxPrice ?? requirements.price, token, locale))
                  : messages.modeWallet}
              </label>
            </div>
          ))}
        </fieldset>
      )}
      {short && (
        <div>
          <p>
            {messages.notEnoughTokens(
              formatTokenAmount(amount, token, locale),
              formatTokenAmount(props.balance ?? 0n, token, locale),
            )}
          </p>
          {props.faucet ? (
            <FaucetButton
              requirements={requirements}
              reader={props.reader}
              amount={amount}
              token={token}
              onMinted={props.onBalanceChanged}
            />
          ) : (
            <p>{messages.noFaucet}</p>
          )}
        </div>
      )}
      {noEther && (
        <div>
          <p className="mr-error">
            {sponsor && valid
              ? messages.noEtherSponsorMin(formatTokenAmount(sponsor.minDeposit, token, locale))
              : messages.noEther}
          </p>
          {sponsor && valid && (
            <button
              type="button"
              className="mr-button mr-button-secondary"
              onClick={() => setText(tokenAmountInput(sponsor.minDeposit, token.decimals, locale))}
            >
              {messages.depositSponsorMin(formatTokenAmount(sponsor.minDeposit, token, locale))}
            </button>
          )}
        </div>
      )}
      <button
        type="submit"
        className="mr-button"
        disabled={!valid || short || deciding || noEther || mutation.isPending}
        aria-describedby={method.data ? methodId : undefined}
      >
        {valid
          ? (channel ? messages.topUp : messages.open)(formatTokenAmount(amount, token, locale))
          : (channel ? messages.topUp : messages.open)("…")}
      </button>
      {/* Under the button, which it describes: learnt after the form is drawn, it must not push the button down. */}
      {method.data && (
        <p id={methodId} className="mr-muted">
          {methodText(
            sponsorUrl ? (kind === "receive-authorization" ? "sponsoredOneSignature" : "sponsored") : method.data,
            messages,
          )}
        </p>
      )}
      {mutation.error && <ErrorNotice error={mutation.error} onRetry={submit} />}
    </form>
  );
}

function methodText(method: string, messages: Messages): string | undefined {
  switch (method) {
    // An EIP-3009 token's own open uses its permit too.
    case "permit":
    case "eip3009":
      return messages.methodPermit;
    case "erc1363":
      return messages.methodErc1363;
    case "approve":
      return messages.methodApprove;
    case "sponsored":
      return messages.methodSponsored;
    case "sponsoredOneSignature":
      return messages.methodSponsoredOneSignature;
    default:
      return undefined;
  }
}

/**
 * Opens the channel through the receiver's sponsor when there is one, and by the reader's own transaction when the
 * receiver refuses with a protocol code (a limit, its minimum) and the reader has ether (`fallback`): then nothing
 * was sent. Anything else — a rejected
 * signature, no answer — may hide an open the receiver did send, and a second channel would lock a second deposit.
 */
async function openSponsoredOrNot(
  client: ChannelClient,
  {
    parameters,
    sponsorUrl,
    kind,
    fallback,
  }: {
    parameters: OpenChannelParameters;
    sponsorUrl: string | undefined;
    kind: SponsoredOpenKind | undefined;
    fallback: boolean;
  },
): Promise<StoredChannel> {
  if (sponsorUrl) {
    try {
      return await openChannel(client, { ...parameters, method: "sponsored", sponsorUrl, kind });
    } catch (error) {
      if (!(fallback && error instanceof ReceiverApiError && error.code !== undefined)) throw error;
    }
  }
  return openChannel(client, parameters);
}
