// The protocol every part agrees on: typed data, headers and their codecs, error codes, signature verification,
// the deployment file and the generated ABI. No DOM and no side effects: servers, browsers and Node import it alike.
export { channelManagerAbi, demoTokenAbi, eip3009TokenAbi } from "./abi.ts";
export {
  apiPaths,
  apiPrefix,
  channelPath,
  decodeChannelPathParameters,
  decodeSenderPathParameter,
} from "./apiPaths.ts";
export { BaseError, type BaseErrorParameters } from "./BaseError.ts";
export {
  type ChannelDescription,
  type ChannelDescriptionJson,
  channelStates,
  decodeChannelDescription,
  decodeChannelDescriptions,
  encodeChannelDescription,
  type ReceiverChannelState,
} from "./channelDescription.ts";
export { channelEventNames } from "./channelEventNames.ts";
export { channelManagerRuntimeCode } from "./channelManagerRuntimeCode.ts";
export { channelStatusBarHeight } from "./channelStatusBarHeight.ts";
export {
  type CloseAllRequestBody,
  decodeCloseAllRequestBody,
  encodeCloseAllRequestBody,
} from "./closeAllRequestBody.ts";
export {
  type CloseRequestBody,
  type CloseRequestJson,
  decodeCloseRequestBody,
  encodeCloseRequestBody,
} from "./closeRequestBody.ts";
export {
  type CloseResponseBody,
  type CloseResponseJson,
  decodeCloseResponseBody,
  encodeCloseResponseBody,
} from "./closeResponseBody.ts";
export { type Deployment, InvalidDeploymentError, parseDeployment } from "./deployment.ts";
export { decodeErrorBody, type ErrorBody, encodeErrorBody, hasErrorCode } from "./errorBody.ts";
export {
  type ErrorCode,
  isErrorCode,
  isPaymentFailureCode,
  type PaymentFailureCode,
  paymentFailureMessages,
  paymentFailures,
  type RequestErrorCode,
  requestErrorCodes,
} from "./errorCodes.ts";
export { type HeaderName, headerNames, maxHeaderValueLength, navigationPreload } from "./headers.ts";
export { type ChannelManagerCodeInspection, inspectChannelManagerCode } from "./inspectChannelManagerCode.ts";
export { MalformedAttributeError, type MalformedAttributeErrorType } from "./MalformedAttributeError.ts";
export { MalformedBodyError, type MalformedBodyErrorType } from "./MalformedBodyError.ts";
export { MalformedHeaderError, type MalformedHeaderErrorType } from "./MalformedHeaderError.ts";
export {
  type OpenAuthorization,
  openAuthorizationTypedData,
  openAuthorizationTypes,
} from "./openAuthorizationTypedData.ts";
export {
  type OpenTerms,
  openByReceiveAuthorizationTypedData,
  openTermsNonce,
  openTermsTypes,
} from "./openByReceiveAuthorizationTypedData.ts";
export {
  decodeOperatorResults,
  encodeOperatorResults,
  type OperatorResult,
  type OperatorResultJson,
} from "./operatorResults.ts";
export {
  type ChannelEcho,
  decodePaymentHeaders,
  decodePaymentResponseHeaders,
  echoesPayment,
  encodePaymentHeaders,
  encodePaymentResponseHeaders,
  type HeaderReader,
  type Payment,
  type PaymentFailure,
  type PaymentRequirements,
} from "./paymentHeaders.ts";
export {
  decodePaymentRequiredBody,
  encodePaymentRequiredBody,
  type PaymentRequiredBody,
  type PaymentRequiredJson,
} from "./paymentRequiredBody.ts";
export {
  type AttributeReader,
  decodePaywallAttributes,
  encodePaywallAttributes,
  type PaywallAttributeName,
  paywallAttributeNames,
  paywallPolicyAttributeNames,
} from "./paywallAttributes.ts";
export {
  decodePaywallSite,
  encodePaywallSite,
  type PaywallSite,
  paywallSiteAttributeNames,
} from "./paywallSite.ts";
export { type PermitMessage, permitTypedData, permitTypes } from "./permitTypedData.ts";
export {
  decodePreloadPaymentHeader,
  encodePreloadPaymentHeader,
  maxPreloadHeaderLength,
  type PreloadPayment,
  paysFirstPreload,
} from "./preloadPayment.ts";
export {
  decodePriceRouteHeader,
  encodePriceRouteHeader,
  isPriceRoute,
  matchesPriceRoute,
  maxPriceRouteLength,
} from "./priceRoute.ts";
export {
  decodeReceiveAuthorizationOpenRequestBody,
  encodeReceiveAuthorizationOpenRequestBody,
  type ReceiveAuthorizationOpenRequestBody,
  type ReceiveAuthorizationOpenRequestJson,
} from "./receiveAuthorizationOpenRequestBody.ts";
export {
  decodeReceiverStats,
  encodeReceiverStats,
  type ReceiverStats,
  type ReceiverStatsJson,
} from "./receiverStats.ts";
export {
  type ReceiveWithAuthorization,
  receiveWithAuthorizationTypedData,
  receiveWithAuthorizationTypes,
} from "./receiveWithAuthorizationTypedData.ts";
export { serializeTypedDataV4 } from "./serializeTypedDataV4.ts";
export {
  balanceProofSignature,
  delegatedSignatureLength,
  packDelegatedSignature,
  type SignerDelegation,
  signerDelegationTypedData,
  signerDelegationTypes,
  unpackDelegatedSignature,
} from "./signerDelegationTypedData.ts";
export {
  decodeSponsoredOpenRequest,
  encodeSponsoredOpenRequest,
  type SponsoredOpenRequest,
} from "./sponsoredOpenRequest.ts";
export {
  decodeSponsoredOpenRequestBody,
  encodeSponsoredOpenRequestBody,
  type SponsoredOpenRequestBody,
  type SponsoredOpenRequestJson,
} from "./sponsoredOpenRequestBody.ts";
export {
  decodeSponsoredOpenResponseBody,
  encodeSponsoredOpenResponseBody,
  type SponsoredOpenResponseBody,
  type SponsoredOpenResponseJson,
} from "./sponsoredOpenResponseBody.ts";
export {
  decodeSponsorOfferHeader,
  encodeSponsorOfferHeader,
  type SponsoredOpenKind,
  type SponsorOffer,
  sponsoredOpenKinds,
} from "./sponsorOffer.ts";
export { tokenAnswered } from "./tokenAnswered.ts";
export { type ReadTokenDomainErrorType, readTokenDomain, type TokenDomain } from "./tokenDomain.ts";
export {
  type TransferAuthorization,
  transferWithAuthorizationAbi,
  transferWithAuthorizationTypedData,
  transferWithAuthorizationTypes,
} from "./transferWithAuthorizationTypedData.ts";
export {
  balanceProofTypedData,
  type ChannelBalance,
  type ChannelId,
  type CloseRequest,
  channelTypes,
  closeRequestTypedData,
  closingAgreementTypedData,
  type DomainParameters,
  domainName,
  domainVersion,
  getDomain,
} from "./typedData.ts";
export {
  type VerifyBalanceProofParameters,
  verifyBalanceProof,
  verifyCloseRequest,
  verifyClosingSignature,
  verifySignerDelegation,
} from "./verify.ts";
export {
  maxUint64,
  parseAddress,
  parseBalanceSignature,
  parseChainId,
  parseSignature,
  parseUint,
  signatureDefect,
} from "./wire.ts";
export {
  decodeWithdrawRequestBody,
  encodeWithdrawRequestBody,
  type WithdrawRequestBody,
  type WithdrawRequestJson,
} from "./withdrawRequestBody.ts";
export {
  decodeExactPayment,
  type ExactPayment,
  encodeX402SettleResponseHeader,
  type X402ErrorReason,
  type X402SettleResponse,
  x402ErrorReasons,
} from "./x402ExactPayment.ts";
export {
  caip2Network,
  channelScheme,
  decodePaymentRequired,
  decodeSponsorOffer,
  decodeX402ChannelOffer,
  type ExactOffer,
  encodeX402PaymentRequired,
  encodeX402PaymentRequiredHeader,
  exactRequirement,
  exactScheme,
  parseCaip2Network,
  type X402ChannelOffer,
  type X402Offer,
  type X402PaymentRequiredJson,
  type X402RequirementJson,
  type X402Resource,
  x402Version,
} from "./x402Requirements.ts";
