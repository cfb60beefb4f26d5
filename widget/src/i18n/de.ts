import type { Messages } from "./en.ts";

/** The widget's German text. */
export const de: Messages = {
  price: (amount) => `Diese Seite kostet ${amount}.`,
  priceUnknown: "Der Preis wird vom Token gelesen…",
  priceUnavailable: "Die Angaben des Tokens konnten auf diesem Netzwerk nicht gelesen werden.",
  chainUnreadable:
    "Das Netzwerk dieser Seite konnte nicht gelesen werden. Prüfen Sie Ihre Verbindung oder verbinden Sie Ihre Wallet und versuchen Sie es erneut.",
  payWithChannel:
    "Bezahlen Sie pro Seite aus einem Zahlungskanal: Sie zahlen einmal ein, danach werden Seiten ohne Rückfrage bezahlt.",
  chooseWallet: "Wallet verbinden",
  connectWith: (name) => `Mit ${name} verbinden`,
  connecting: "Warte auf Ihre Wallet…",
  lookingForWallet: "Suche nach einer Wallet, die diese Seite nutzen darf…",
  noWallet: "In diesem Browser wurde keine Ethereum-Wallet gefunden.",
  noWalletHelp: "Installieren Sie eine Wallet-Erweiterung wie MetaMask und laden Sie die Seite neu.",
  installMetaMask: "MetaMask holen",
  wrongChain: (chain) => `Ihre Wallet ist in einem anderen Netzwerk. Diese Seite wird auf ${chain} bezahlt.`,
  switchChain: (chain) => `Zu ${chain} wechseln`,
  switchingChain: "Das Netzwerk wird in Ihrer Wallet gewechselt…",
  notEnoughTokens: (needed, held) => `Für diese Einzahlung brauchen Sie ${needed}, Sie haben ${held}.`,
  faucet: (amount) => `${amount} vom Test-Faucet holen`,
  faucetRunning: "Test-Token werden erzeugt…",
  noFaucet: "Dieses Netzwerk hat keinen Faucet: besorgen Sie sich den Token zuerst anderswo.",
  depositLabel: "Einzahlung",
  depositHelp: (pages) =>
    `Reicht für etwa ${pages} Seiten. Was Sie nicht ausgeben, erhalten Sie beim Schließen zurück.`,
  depositInvalid: "Geben Sie einen Betrag über dem Preis ein, etwa 0,1.",
  modeLegend: "Wie bezahlen",
  modeSession: (cap) => `Automatisch, bis ${cap} pro Seite (keine Rückfrage pro Seite)`,
  modeWallet: "Jede Zahlung in meiner Wallet bestätigen",
  methodPermit: "Eröffnung mit einer Signatur und einer Transaktion.",
  methodErc1363: "Eröffnung mit einer Transaktion.",
  methodApprove: "Eröffnung mit zwei Transaktionen (Freigabe, dann Eröffnung).",
  methodSponsored: "Eröffnung mit zwei Signaturen in Ihrer Wallet und ohne Transaktion: die Seite zahlt die Gebühr.",
  methodSponsoredOneSignature:
    "Eröffnung mit einer Signatur in Ihrer Wallet und ohne Transaktion: die Seite zahlt die Gebühr.",
  noEther:
    "Das braucht eine Transaktion, und Ihr Konto hat kein ETH für deren Netzwerkgebühr. Besorgen Sie sich zuerst etwas ETH in diesem Netzwerk.",
  noEtherSponsorMin: (min) =>
    `Ihr Konto hat kein ETH für eine Netzwerkgebühr. Die Seite zahlt die Gebühr ab einer Einzahlung von ${min}.`,
  depositSponsorMin: (min) => `${min} einzahlen`,
  open: (amount) => `Kanal mit ${amount} eröffnen`,
  topUp: (amount) => `${amount} nachladen`,
  confirmInWallet: "Bitte in Ihrer Wallet bestätigen.",
  transactionPending: "Transaktion gesendet, sie wartet auf Aufnahme in einen Block:",
  confirmations: (seen, needed) =>
    needed === undefined ? `Bestätigungen: ${seen}` : `Bestätigungen: ${Math.min(seen, needed)} / ${needed}`,
  waitingForSite: "Warte, bis die Seite den Kanal annimmt…",
  ready: "Ihr Kanal ist offen. Sie können jetzt bezahlte Seiten lesen.",
  keyElsewhere:
    "Dieser Kanal zahlt nur dort automatisch, wo er eröffnet wurde (eine andere Seite oder ein anderer Browser). Hier bestätigen Sie jede Zahlung in Ihrer Wallet.",
  keyElsewhereOffer: (cap) =>
    `Ihr Kanal wurde auf einer anderen Seite eröffnet, und diese Seite kann dessen Schlüssel nicht nutzen: Browser halten die Daten jeder Seite getrennt. Geben Sie dieser Seite mit einer Signatur in Ihrer Wallet einen eigenen Schlüssel (keine Transaktion, keine Gebühr), dann zahlt sie auch hier automatisch, bis ${cap} pro Seite.`,
  delegateHere: "Auch hier automatisch zahlen (eine Signatur, keine Gebühr)",
  walletHere: "Stattdessen jede Zahlung in meiner Wallet bestätigen",
  aboveAutoPay: (price, cap) =>
    `Diese Seite kostet ${price}, mehr als die ${cap} pro Seite, die Ihr Kanal automatisch zahlt.`,
  autoPayUnset: (price) =>
    `Ihr Kanal wurde geöffnet, bevor Kanäle eine Grenze für automatische Zahlungen hatten. Zahlen Sie ${price} für diese Seite; danach zahlt er bis zu ${price} pro Seite automatisch.`,
  autoPayRateReached: (perMinute) =>
    `Ihr Kanal hat in der letzten Minute ${perMinute} Seiten bezahlt, so viele, wie er automatisch zahlt.`,
  payOnce: (price) => `${price} für diese Seite zahlen`,
  previousSettled: (paid, refund) =>
    `Ihr letzter Kanal zu dieser Seite wurde auf der Chain abgerechnet: ${paid} gingen an die Seite, ${refund} kamen an Sie zurück.`,
  rejected: "Sie haben die Anfrage in Ihrer Wallet abgelehnt. Es wurde nichts berechnet.",
  tryAgain: "Erneut versuchen",
  errorDetails: "Details",
  errors: {
    InsufficientFundsError: "Ihr Konto hat nicht genug ETH für die Netzwerkgebühr.",
    WrongChainError: "Ihre Wallet ist in einem anderen Netzwerk und konnte nicht wechseln.",
    TransactionRevertedError: "Die Transaktion ist auf der Chain gescheitert. Es wurde nichts berechnet.",
    ChannelManagerRevertError: "Der Kanal-Vertrag hat die Transaktion abgelehnt.",
    ReceiverApiError: "Die Seite war nicht erreichbar oder hat die Anfrage abgelehnt.",
    AccountMismatchError: "Ihre Wallet hat zu einem anderen Konto als dem des Kanals gewechselt.",
    NotConnectedError: "Verbinden Sie zuerst Ihre Wallet.",
    PaymentRefusedError: "Die Seite hat die Zahlung abgelehnt.",
    ConfirmationTimeoutError: "Das Netzwerk hat den Kanal nicht rechtzeitig bestätigt.",
    generic: "Etwas ist schiefgegangen.",
  },
  status: {
    label: "Zahlungskanal",
    deposit: "Einzahlung",
    spent: "Ausgegeben",
    remaining: "Verbleibend",
    budget: (pages, price) => `Noch etwa ${pages} Seiten zu ${price} pro Seite`,
    autoPay: (cap, perMinute) => `Zahlt automatisch bis ${cap} pro Seite, ${perMinute} Seiten pro Minute.`,
    budgetWallet: "Sie bestätigen jede Zahlung in Ihrer Wallet.",
    lowBalance: "Ihre Einzahlung geht zur Neige.",
    close: "Schließen und Rest zurückerhalten",
    closing: "Wird geschlossen…",
    closed: (refund) => `Kanal geschlossen: ${refund} kamen an Sie zurück.`,
    closedSettling: "Kanal geschlossen. Es wird gelesen, was an Sie zurückkam…",
    unreachable: "Die Seite ist nicht erreichbar, um gemeinsam zu schließen.",
    closeAlone: "Ohne die Seite schließen",
    challenge: (blocks) => `Die Seite kann noch ${blocks} Blöcke lang antworten; danach können Sie abrechnen.`,
    settle: "Abrechnen und Rest zurückerhalten",
    noChannel: "Kein offener Zahlungskanal zu dieser Seite.",
  },
  fragment: {
    loading: "Der bezahlte Teil wird geladen…",
    unreachable: (host) =>
      `Der bezahlte Teil konnte nicht von ${host} geladen werden (offline, oder diese Seite ist dort nicht zugelassen).`,
    refused: (host, status) => `${host} hat mit ${status} statt mit dem bezahlten Teil geantwortet.`,
  },
};
