// The public API, pinned: any added, renamed or removed export shows up here in review.
import assert from "node:assert/strict";
import { it } from "node:test";

it("the main entry exports exactly the public API", async () => {
  assert.deepEqual(Object.keys(await import("./index.ts")).sort(), [
    "BaseError",
    "BudgetExceededError",
    "ChainMismatchError",
    "ChannelManagerRevertError",
    "ChannelNotOpenError",
    "ChannelRequiredError",
    "InsufficientDepositError",
    "InvalidDeploymentError",
    "InvalidStoredChannelError",
    "MalformedHeaderError",
    "PaymentRefusedError",
    "PriceExceedsPolicyError",
    "ReceiverApiError",
    "balanceProofTypedData",
    "channelManagerAbi",
    "channelTypes",
    "closeChannel",
    "closingAgreementTypedData",
    "createChannelClient",
    "decodePaymentHeaders",
    "decodePaymentResponseHeaders",
    "defaultLock",
    "demoTokenAbi",
    "detectDepositMethod",
    "discoverWallets",
    "domainName",
    "domainVersion",
    "encodePaymentHeaders",
    "encodePaymentResponseHeaders",
    "ensureChain",
    "fetchWithPayment",
    "getChannels",
    "getDomain",
    "headerNames",
    "indexedDbStorage",
    "isPaymentFailureCode",
    "maxHeaderValueLength",
    "maxUint64",
    "memoryLock",
    "memoryStorage",
    "openChannel",
    "parseAddress",
    "parseChainId",
    "parseDeployment",
    "parseSignature",
    "parseStoredChannel",
    "parseUint",
    "pay",
    "paymentFailures",
    "permitTypedData",
    "permitTypes",
    "refreshChannel",
    "requestClosingSignature",
    "requestErrorCodes",
    "serializeChannel",
    "settleChannel",
    "signBalanceProof",
    "signatureDefect",
    "syncChannels",
    "topUp",
    "verifyBalanceProof",
    "verifyClosingSignature",
    "watchChannels",
    "webLock",
  ]);
});

it("the protocol entry exports exactly the protocol", async () => {
  assert.deepEqual(Object.keys(await import("./protocol/index.ts")).sort(), [
    "BaseError",
    "InvalidDeploymentError",
    "MalformedHeaderError",
    "balanceProofTypedData",
    "channelManagerAbi",
    "channelTypes",
    "closingAgreementTypedData",
    "decodePaymentHeaders",
    "decodePaymentResponseHeaders",
    "demoTokenAbi",
    "domainName",
    "domainVersion",
    "encodePaymentHeaders",
    "encodePaymentResponseHeaders",
    "getDomain",
    "headerNames",
    "isPaymentFailureCode",
    "maxHeaderValueLength",
    "maxUint64",
    "parseAddress",
    "parseChainId",
    "parseDeployment",
    "parseSignature",
    "parseUint",
    "paymentFailures",
    "permitTypedData",
    "permitTypes",
    "requestErrorCodes",
    "signatureDefect",
    "verifyBalanceProof",
    "verifyClosingSignature",
  ]);
});

it("the node entry adds the file store", async () => {
  assert.deepEqual(Object.keys(await import("./node.ts")).sort(), ["fileStorage", "readPrivateKeyFile"]);
});

it("importing the protocol has no side effects on globals", async () => {
  const before = Object.keys(globalThis).sort();
  await import("./protocol/index.ts");
  assert.deepEqual(Object.keys(globalThis).sort(), before);
});
