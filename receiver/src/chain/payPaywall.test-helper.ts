// One paid request through the receiver's real paywall (a Hono app, no port), for the tests of what happens to the
// money afterwards on chain: withdrawals, closes, credits.
import assert from "node:assert/strict";
import { balanceProofTypedData, encodePaymentHeaders } from "@micro-raiden/web-client/protocol";
import { Hono } from "hono";
import type { HDAccount } from "viem/accounts";
import { paywall } from "../http/paywall.ts";
import type { Receiver } from "../Receiver.ts";

/** Pays `receiver`'s paywall at `price` a page, raising `sender`'s channel opened at `openBlock` to `balance`. */
export async function payPaywall(parameters: {
  receiver: Receiver;
  sender: HDAccount;
  openBlock: bigint;
  balance: bigint;
  price: bigint;
}): Promise<void> {
  const { receiver, sender, openBlock, balance, price } = parameters;
  const { chainId, channelManager } = receiver.deployment;
  const app = new Hono().get("/report", paywall({ receiver, price }), (c) => c.text("the paid report"));
  const signature = await sender.signTypedData(
    balanceProofTypedData(
      { chainId, contract: channelManager },
      { sender: sender.address, receiver: receiver.address, openBlock, balance },
    ),
  );
  const paid = await app.request("/report", {
    headers: encodePaymentHeaders({
      contract: channelManager,
      receiver: receiver.address,
      sender: sender.address,
      openBlock,
      balance,
      signature,
    }),
  });
  assert.equal(paid.status, 200);
  assert.equal(await paid.text(), "the paid report");
}
