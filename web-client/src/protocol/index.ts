// The protocol every part agrees on: typed data, headers and their codecs, error codes, signature verification,
// the deployment file and the generated ABI. No DOM and no side effects: servers, browsers and Node import it alike.
export { channelManagerAbi, demoTokenAbi } from "./abi.ts";
export { BaseError, type BaseErrorParameters } from "./BaseError.ts";
export { type Deployment, InvalidDeploymentError, parseDeployment } from "./deployment.ts";
export {
  type ErrorBody,
  type ErrorCode,
  isPaymentFailureCode,
  type PaymentFailureCode,
  paymentFailures,
  type RequestErrorCode,
  requestErrorCodes,
} from "./errorCodes.ts";
export { type HeaderName, headerNames, maxHeaderValueLength } from "./headers.ts";
export { MalformedHeaderError } from "./MalformedHeaderError.ts";
export {
  type ChannelEcho,
  decodePaymentHeaders,
  decodePaymentResponseHeaders,
  encodePaymentHeaders,
  encodePaymentResponseHeaders,
  type HeaderReader,
  type Payment,
  type PaymentFailure,
  type PaymentRequirements,
} from "./paymentHeaders.ts";
export { type PermitMessage, permitTypedData, permitTypes, type TokenDomain } from "./permitTypedData.ts";
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
} from "./verify.ts";
export { maxUint64, parseAddress, parseChainId, parseSignature, parseUint, signatureDefect } from "./wire.ts";
