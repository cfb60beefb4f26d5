import assert from "node:assert/strict";
import { it } from "node:test";
import { createWalletClient, custom, hashTypedData, recoverTypedDataAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { serializeTypedDataV4 } from "./serializeTypedDataV4.ts";
import { contract, receiver } from "./testValues.test-helper.ts";
import { balanceProofTypedData } from "./typedData.ts";

const sender = privateKeyToAccount(generatePrivateKey());
const typedData = balanceProofTypedData(
  { chainId: 31337, contract },
  { sender: sender.address, receiver, openBlock: 12n, balance: 10n ** 18n },
);

it("gives eth_signTypedData_v4 exactly what viem's wallet signTypedData sends MetaMask", async () => {
  let sent: unknown;
  const wallet = createWalletClient({
    account: sender.address,
    transport: custom({
      async request({ method, params }) {
        if (method !== "eth_signTypedData_v4") throw new Error(method);
        sent = params;
        return `0x${"00".repeat(65)}`;
      },
    }),
  });
  await wallet.signTypedData(typedData);
  assert.deepEqual(sent, [sender.address, serializeTypedDataV4(typedData)]);
});

it("carries the EIP712Domain type, so a v4 signer hashes the real domain", async () => {
  const json = JSON.parse(serializeTypedDataV4(typedData));
  assert.deepEqual(
    json.types.EIP712Domain.map((f: { name: string }) => f.name),
    ["name", "version", "chainId", "verifyingContract"],
  );
  assert.equal(json.message.balance, "1000000000000000000");
  // Signing the parsed JSON the way a v4 signer does (types as given, EIP712Domain included) gives the same hash,
  // and so a signature the protocol accepts.
  const fromJson = { domain: json.domain, types: json.types, primaryType: json.primaryType, message: json.message };
  assert.equal(hashTypedData(fromJson), hashTypedData(typedData));
  const signature = await sender.signTypedData(fromJson);
  assert.equal(await recoverTypedDataAddress({ ...typedData, signature }), sender.address);
});
