// The widget's English text: the complete catalog every other language follows (its type is `Messages`).
export const en = {
  price: (amount: string) => `This page costs ${amount}.`,
  priceUnknown: "Reading the price from the token…",
  priceUnavailable: "The token's price details could not be read from this chain.",
  chainUnreadable: "This site's chain could not be read. Check your connection, or connect your wallet, and try again.",
  payWithChannel: "Pay per page from a payment channel: you deposit once, then pages are paid without a prompt.",
  chooseWallet: "Connect a wallet",
  connectWith: (name: string) => `Connect ${name}`,
  connecting: "Waiting for your wallet…",
  lookingForWallet: "Looking for a wallet this site may use…",
  noWallet: "No Ethereum wallet found in this browser.",
  noWalletHelp: "Install a wallet extension such as MetaMask, then reload this page.",
  installMetaMask: "Get MetaMask",
  wrongChain: (chain: string) => `Your wallet is on another network. This site is paid on ${chain}.`,
  switchChain: (chain: string) => `Switch to ${chain}`,
  switchingChain: "Switching the network in your wallet…",
  notEnoughTokens: (needed: string, held: string) => `You need ${needed} for this deposit, and hold ${held}.`,
  faucet: (amount: string) => `Get ${amount} from the test faucet`,
  faucetRunning: "Minting test tokens…",
  noFaucet: "This network has no faucet: get the token from an exchange or a friend first.",
  depositLabel: "Deposit",
  depositHelp: (pages: string) => `Enough for about ${pages} pages. What you do not spend comes back when you close.`,
  depositInvalid: "Enter an amount greater than the price, like 0.1.",
  modeLegend: "How to pay",
  modeSession: (cap: string) => `Automatically, up to ${cap} a page (no prompt per page)`,
  modeWallet: "Confirm each payment in my wallet",
  methodPermit: "Opens with one signature and one transaction.",
  methodErc1363: "Opens with one transaction.",
  methodApprove: "Opens with two transactions (approve, then open).",
  methodSponsored: "Opens with two signatures in your wallet and no transaction: the site pays the fee.",
  methodSponsoredOneSignature: "Opens with one signature in your wallet and no transaction: the site pays the fee.",
  noEther:
    "This needs a transaction, and your account has no ETH for its network fee. Get a little ETH on this network first.",
  noEtherSponsorMin: (min: string) =>
    `Your account has no ETH for a network fee. The site pays the fee when you deposit at least ${min}.`,
  depositSponsorMin: (min: string) => `Deposit ${min}`,
  open: (amount: string) => `Open a channel with ${amount}`,
  topUp: (amount: string) => `Add ${amount}`,
  confirmInWallet: "Confirm in your wallet.",
  transactionPending: "Transaction sent, waiting for it to be mined:",
  confirmations: (seen: number, needed: number | undefined) =>
    needed === undefined ? `Confirmations: ${seen}` : `Confirmations: ${Math.min(seen, needed)} / ${needed}`,
  waitingForSite: "Waiting for the site to accept the channel…",
  ready: "Your channel is open. You can read paid pages now.",
  keyElsewhere:
    "This channel pays automatically only where it was opened (another site or browser). Here, you confirm each payment in your wallet.",
  keyElsewhereOffer: (cap: string) =>
    `Your channel was opened on another site, and this site cannot use its key: browsers keep each site's data apart. Give this site its own key with one signature in your wallet (no transaction, no fee), and it pays automatically too, up to ${cap} a page.`,
  delegateHere: "Pay automatically here too (one signature, no fee)",
  walletHere: "Confirm each payment in my wallet instead",
  aboveAutoPay: (price: string, cap: string) =>
    `This page costs ${price}, more than the ${cap} a page your channel pays automatically.`,
  autoPayUnset: (price: string) =>
    `Your channel was opened before channels had a limit on automatic payments. Pay ${price} for this page, and it pays up to ${price} a page automatically from now on.`,
  autoPayRateReached: (perMinute: number) =>
    `Your channel has paid ${perMinute} pages in the last minute, as many as it pays automatically.`,
  payOnce: (price: string) => `Pay ${price} for this page`,
  previousSettled: (paid: string, refund: string) =>
    `Your last channel to this site was settled on chain: ${paid} went to the site, ${refund} came back to you.`,
  rejected: "You rejected the request in your wallet. Nothing was charged.",
  tryAgain: "Try again",
  errorDetails: "Details",
  errors: {
    InsufficientFundsError: "Your account has not enough ETH to pay the network fee.",
    WrongChainError: "Your wallet is on another network and could not be switched.",
    TransactionRevertedError: "The transaction failed on the chain. Nothing was charged.",
    ChannelManagerRevertError: "The channel contract refused the transaction.",
    ReceiverApiError: "The site could not be reached or refused the request.",
    AccountMismatchError: "Your wallet switched to another account than the channel's.",
    NotConnectedError: "Connect your wallet first.",
    PaymentRefusedError: "The site refused the payment.",
    ConfirmationTimeoutError: "The network took too long to confirm the channel.",
    generic: "Something went wrong.",
  },
  status: {
    label: "Payment channel",
    deposit: "Deposit",
    spent: "Spent",
    remaining: "Remaining",
    budget: (pages: string, price: string) => `About ${pages} pages left at ${price} a page`,
    autoPay: (cap: string, perMinute: number) => `Pays automatically up to ${cap} a page, ${perMinute} pages a minute.`,
    budgetWallet: "You confirm each payment in your wallet.",
    lowBalance: "Your deposit is running low.",
    close: "Close and get the rest back",
    closing: "Closing…",
    closed: (refund: string) => `Channel closed: ${refund} came back to you.`,
    closedSettling: "Channel closed. Reading what came back to you…",
    unreachable: "The site cannot be reached to close together.",
    closeAlone: "Close without the site",
    challenge: (blocks: string) => `The site may answer for ${blocks} more blocks; then you can settle.`,
    settle: "Settle and get the rest back",
    noChannel: "No open payment channel to this site.",
  },
  fragment: {
    loading: "Loading the paid part…",
    unreachable: (host: string) =>
      `The paid part could not be loaded from ${host} (it is offline, or does not allow this site).`,
    refused: (host: string, status: number) => `${host} answered ${status} instead of the paid part.`,
  },
} as const;

/** The shape of a message catalog: every language has every message. */
export type Messages = {
  readonly [K in keyof typeof en]: (typeof en)[K] extends (...args: infer A) => string
    ? (...args: A) => string
    : (typeof en)[K] extends string
      ? string
      : {
          readonly [L in keyof (typeof en)[K]]: (typeof en)[K][L] extends (...args: infer A) => string
            ? (...args: A) => string
            : string;
        };
};
