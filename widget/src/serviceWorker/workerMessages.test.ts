// What a page may tell the payment worker, and what the worker refuses: messages of another protocol or shape, and
// vouchers used for anything but the proof the wallet signed.

import { balanceProofTypedData, type Payment } from "@micro-raiden/web-client/protocol";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { signTypedData } from "viem/actions";
import { describe, expect, it } from "vitest";
import { workerClient } from "./workerClient.ts";
import {
  decodeWorkerRequest,
  encodeWorkerRequest,
  type PaymentGrant,
  paymentWorkerProtocol,
} from "./workerMessages.ts";

const sender = privateKeyToAccount(generatePrivateKey());
const grant: PaymentGrant = {
  chainId: 31337,
  contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  receiver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  sender: sender.address,
  policy: { maxPrice: 10n ** 15n, budgetPerReceiver: 2n ** 200n, maxPaymentsPerMinute: 30 },
};

async function signedPayment(balance: bigint): Promise<Payment> {
  const message = { sender: sender.address, receiver: grant.receiver, openBlock: 42n, balance };
  const signature = await sender.signTypedData(
    balanceProofTypedData({ chainId: grant.chainId, contract: grant.contract }, message),
  );
  return {
    contract: grant.contract,
    receiver: grant.receiver,
    sender: sender.address,
    openBlock: 42n,
    balance,
    signature,
  };
}

describe("worker messages", () => {
  it("carry a grant and a voucher through structured clone unchanged, amounts exact", async () => {
    const cloned = (value: unknown) => structuredClone(value);
    expect(decodeWorkerRequest(cloned(encodeWorkerRequest({ type: "grant", grant })))).toEqual({
      type: "grant",
      grant,
    });
    const voucher = { url: "https://site.example/articles/1", chainId: 31337, payment: await signedPayment(5n) };
    expect(decodeWorkerRequest(cloned(encodeWorkerRequest({ type: "voucher", voucher })))).toEqual({
      type: "voucher",
      voucher,
    });
    expect(decodeWorkerRequest(encodeWorkerRequest({ type: "hello" }))).toEqual({ type: "hello" });
  });

  it("ignores other libraries' messages", () => {
    for (const data of [undefined, null, "micro-raiden:grant", { type: "ping" }, { type: 1 }]) {
      expect(decodeWorkerRequest(data)).toBeUndefined();
    }
  });

  it("refuses another protocol, an unknown type and malformed fields", () => {
    const encoded = encodeWorkerRequest({ type: "grant", grant });
    const inner = encoded.grant as Record<string, unknown>;
    const broken: unknown[] = [
      { ...encoded, protocol: paymentWorkerProtocol + 1 },
      { ...encoded, protocol: undefined },
      { type: "micro-raiden:pay-everything", protocol: paymentWorkerProtocol },
      { ...encoded, grant: undefined },
      { ...encoded, grant: { ...inner, receiver: "0x1234" } },
      { ...encoded, grant: { ...inner, sender: 42 } },
      { ...encoded, grant: { ...inner, chainId: "mainnet" } },
      { ...encoded, grant: { ...inner, budgetPerReceiver: "-1" } },
      { ...encoded, grant: { ...inner, maxPrice: "1e18" } },
      { ...encoded, grant: { ...inner, maxPaymentsPerMinute: 0 } },
      { ...encoded, grant: { ...inner, maxPaymentsPerMinute: "30" } },
      { ...encoded, grant: { ...inner, maxPaymentsPerMinute: 1.5 } },
      {
        type: "micro-raiden:voucher",
        protocol: paymentWorkerProtocol,
        voucher: { url: "/x", chainId: 1, headers: {} },
      },
    ];
    for (const data of broken) expect(() => decodeWorkerRequest(data)).toThrow();
  });
});

describe("the worker's signer", () => {
  it("signs nothing itself with a grant: session keys only", async () => {
    const client = workerClient({ grant, fetch });
    const typedData = balanceProofTypedData(
      { chainId: grant.chainId, contract: grant.contract },
      { sender: sender.address, receiver: grant.receiver, openBlock: 42n, balance: 1n },
    );
    await expect(
      signTypedData(client.walletClient, { ...typedData, account: client.account ?? sender }),
    ).rejects.toThrow(/session keys only/);
  });

  it("returns a voucher's signature only for exactly the proof the wallet signed", async () => {
    const payment = await signedPayment(7n);
    const client = workerClient({ voucher: { url: "https://site.example/a", chainId: grant.chainId, payment }, fetch });
    const account = client.account ?? sender;
    const proof = (balance: bigint, chainId = grant.chainId, openBlock = 42n) =>
      balanceProofTypedData(
        { chainId, contract: grant.contract },
        { sender: sender.address, receiver: grant.receiver, openBlock, balance },
      );
    await expect(signTypedData(client.walletClient, { ...proof(7n), account })).resolves.toBe(payment.signature);
    for (const other of [proof(8n), proof(6n), proof(7n, 1), proof(7n, grant.chainId, 43n)]) {
      await expect(signTypedData(client.walletClient, { ...other, account })).rejects.toThrow(/does not cover/);
    }
  });
});
