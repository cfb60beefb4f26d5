// The protocol every part agrees on: typed data, ABI and (with the web-client issue) headers, codecs and errors.
export { channelManagerAbi, demoTokenAbi } from "./abi.ts";
export { type Deployment, InvalidDeploymentError, parseDeployment } from "./deployment.ts";
export { type PermitMessage, permitTypedData, permitTypes, type TokenDomain } from "./permitTypedData.ts";
export {
  balanceProofTypedData,
  type ChannelBalance,
  type ChannelId,
  channelTypes,
  closingAgreementTypedData,
  type DomainParameters,
  domainName,
  domainVersion,
  getDomain,
} from "./typedData.ts";
