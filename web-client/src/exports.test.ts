// The public API, pinned: any added, renamed or removed export shows up here in review.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { it } from "node:test";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

it("the main entry exports exactly the public API", async () => {
  assert.deepEqual(Object.keys(await import("./index.ts")).sort(), [
    "AccountMismatchError",
    "BaseError",
    "BudgetExceededError",
    "ChannelManagerRevertError",
    "ChannelNotOpenError",
    "ChannelRequiredError",
    "ConfirmationTimeoutError",
    "GatewayUrlRequiredError",
    "InsufficientDepositError",
    "InvalidStoredChannelError",
    "MalformedHeaderError",
    "NoAccountError",
    "NoChannelOpenedError",
    "NotConnectedError",
    "PaymentOutcomeUnknownError",
    "PaymentRateExceededError",
    "PaymentRefusedError",
    "PriceExceedsPolicyError",
    "ReceiverApiError",
    "TransactionRevertedError",
    "UntrustedChannelManagerError",
    "WrongChainError",
    "autoPayLimit",
    "autoPayRefusal",
    "channelAutoPay",
    "closeChannel",
    "closeChannelUncooperatively",
    "connect",
    "createChannelClient",
    "createPaidFetch",
    "createPaymentClient",
    "createWalletStore",
    "defaultLock",
    "detectDepositMethod",
    "disconnect",
    "discoverWallets",
    "ensureChain",
    "fetchWithPayment",
    "fetchWithStoredChannel",
    "getChannels",
    "getConnection",
    "getSettlement",
    "indexedDbStorage",
    "memoryLock",
    "memoryStorage",
    "openChannel",
    "parseStoredChannel",
    "pay",
    "receiverLockName",
    "recentAutoPayments",
    "reconnect",
    "refreshChannel",
    "requestClosingSignature",
    "serializeChannel",
    "settleChannel",
    "signBalanceProof",
    "syncChannels",
    "topUp",
    "verifyChannelManager",
    "watchChannels",
    "watchConnection",
    "webLock",
  ]);
});

it("the main entry shares no name with viem, but for the library's own BaseError (as wagmi does)", async () => {
  const viem = new Set(Object.keys(await import("viem")));
  const shared = Object.keys(await import("./index.ts")).filter((name) => viem.has(name));
  assert.deepEqual(shared, ["BaseError"]);
});

it("the protocol entry exports exactly the protocol", async () => {
  assert.deepEqual(Object.keys(await import("./protocol/index.ts")).sort(), [
    "BaseError",
    "InvalidDeploymentError",
    "MalformedAttributeError",
    "MalformedBodyError",
    "MalformedHeaderError",
    "apiPaths",
    "apiPrefix",
    "balanceProofTypedData",
    "caip2Network",
    "channelManagerAbi",
    "channelManagerRuntimeCode",
    "channelPath",
    "channelScheme",
    "channelStates",
    "channelStatusBarHeight",
    "channelTypes",
    "closeRequestTypedData",
    "closingAgreementTypedData",
    "decodeChannelDescription",
    "decodeChannelDescriptions",
    "decodeChannelPathParameters",
    "decodeCloseAllRequestBody",
    "decodeCloseRequestBody",
    "decodeCloseResponseBody",
    "decodeErrorBody",
    "decodeExactPayment",
    "decodeOperatorResults",
    "decodePaymentHeaders",
    "decodePaymentRequired",
    "decodePaymentRequiredBody",
    "decodePaymentResponseHeaders",
    "decodePaywallAttributes",
    "decodePaywallSite",
    "decodePriceRouteHeader",
    "decodeReceiveAuthorizationOpenRequestBody",
    "decodeReceiverStats",
    "decodeSenderPathParameter",
    "decodeSponsorOfferHeader",
    "decodeSponsoredOpenRequest",
    "decodeSponsoredOpenRequestBody",
    "decodeSponsoredOpenResponseBody",
    "decodeWithdrawRequestBody",
    "decodeX402ChannelOffer",
    "demoTokenAbi",
    "domainName",
    "domainVersion",
    "eip3009TokenAbi",
    "encodeChannelDescription",
    "encodeCloseAllRequestBody",
    "encodeCloseRequestBody",
    "encodeCloseResponseBody",
    "encodeErrorBody",
    "encodeOperatorResults",
    "encodePaymentHeaders",
    "encodePaymentRequiredBody",
    "encodePaymentResponseHeaders",
    "encodePaywallAttributes",
    "encodePaywallSite",
    "encodePriceRouteHeader",
    "encodeReceiveAuthorizationOpenRequestBody",
    "encodeReceiverStats",
    "encodeSponsorOfferHeader",
    "encodeSponsoredOpenRequest",
    "encodeSponsoredOpenRequestBody",
    "encodeSponsoredOpenResponseBody",
    "encodeWithdrawRequestBody",
    "encodeX402PaymentRequired",
    "encodeX402PaymentRequiredHeader",
    "encodeX402SettleResponseHeader",
    "exactRequirement",
    "exactScheme",
    "getDomain",
    "headerNames",
    "inspectChannelManagerCode",
    "isErrorCode",
    "isPaymentFailureCode",
    "isPriceRoute",
    "matchesPriceRoute",
    "maxHeaderValueLength",
    "maxPriceRouteLength",
    "maxUint64",
    "openAuthorizationTypedData",
    "openAuthorizationTypes",
    "openByReceiveAuthorizationTypedData",
    "openTermsNonce",
    "openTermsTypes",
    "packDelegatedSignature",
    "parseAddress",
    "parseCaip2Network",
    "parseChainId",
    "parseDeployment",
    "parseSignature",
    "parseUint",
    "paymentFailures",
    "paywallAttributeNames",
    "paywallPolicyAttributeNames",
    "paywallSiteAttributeNames",
    "permitTypedData",
    "permitTypes",
    "readTokenDomain",
    "receiveWithAuthorizationTypedData",
    "receiveWithAuthorizationTypes",
    "requestErrorCodes",
    "serializeTypedDataV4",
    "signatureDefect",
    "signerDelegationTypedData",
    "signerDelegationTypes",
    "tokenAnswered",
    "transferWithAuthorizationAbi",
    "transferWithAuthorizationTypedData",
    "transferWithAuthorizationTypes",
    "verifyBalanceProof",
    "verifyCloseRequest",
    "verifyClosingSignature",
    "x402ErrorReasons",
    "x402Version",
  ]);
});

it("the node entry adds the file store and the key-file reader", async () => {
  assert.deepEqual(Object.keys(await import("./node.ts")).sort(), [
    "PrivateKeyFileError",
    "fileStorage",
    "readPrivateKeyFile",
  ]);
});

// In this process the entries are already imported (above, and by other tests): only a fresh process sees what
// importing them does. Prints the globals each import added; the test fails on any.
const probe = `
const before = new Set(Object.getOwnPropertyNames(globalThis));
const added = {};
for (const entry of process.argv.slice(1)) {
  await import(entry);
  added[entry] = Object.getOwnPropertyNames(globalThis).filter((name) => !before.has(name));
}
console.log(JSON.stringify(added));
`;

it("importing the entries has no side effects on globals (in a fresh process)", async () => {
  const entries = ["./protocol/index.ts", "./index.ts"].map((entry) => fileURLToPath(new URL(entry, import.meta.url)));
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", probe, ...entries]);
  assert.deepEqual(JSON.parse(stdout), Object.fromEntries(entries.map((entry) => [entry, []])));
});
