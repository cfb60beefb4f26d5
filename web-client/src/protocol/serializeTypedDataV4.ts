import { getTypesForEIP712Domain, serializeTypedData, type TypedDataDomain, type TypedDataParameter } from "viem";

/** Any typed data of this protocol (balance proof, closing agreement, close request, permit). */
export type SerializableTypedData = {
  domain: TypedDataDomain;
  types: Record<string, readonly TypedDataParameter[]>;
  primaryType: string;
  message: Record<string, unknown>;
};

/**
 * The JSON string `eth_signTypedData_v4` takes as its second parameter, exactly as viem's wallet `signTypedData`
 * sends it: `types` gains the `EIP712Domain` entry for the domain's fields (without it MetaMask's signer hashes an
 * empty domain), bigints become decimal strings and addresses lowercase. For wallets driven without viem.
 *
 * @example
 * import { balanceProofTypedData, serializeTypedDataV4 } from "@micro-raiden/web-client/protocol";
 * const typedData = balanceProofTypedData({ chainId, contract }, { sender, receiver, openBlock: 12n, balance: 1000n });
 * const signature = await window.ethereum.request({
 *   method: "eth_signTypedData_v4",
 *   params: [sender, serializeTypedDataV4(typedData)],
 * });
 */
export function serializeTypedDataV4(typedData: SerializableTypedData): string {
  const { domain, types, primaryType, message } = typedData;
  const withDomain: Record<string, readonly TypedDataParameter[]> = {
    EIP712Domain: getTypesForEIP712Domain({ domain }),
    ...types,
  };
  return serializeTypedData({ domain, types: withDomain, primaryType, message });
}
