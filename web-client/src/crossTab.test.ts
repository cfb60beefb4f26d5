// Cross-tab safety: two tabs (two worker threads, each with its own client and storage instance on one file) pay
// in parallel on one channel. Web Locks serialize them, so no balance is ever signed twice and each request is
// paid exactly once.
import assert from "node:assert/strict";
import { mkdtemp } from "node:fs/promises";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { it } from "node:test";
import { Worker } from "node:worker_threads";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import {
  decodePaymentHeaders,
  encodePaymentResponseHeaders,
  type PaymentRequirements,
  verifyBalanceProof,
} from "./protocol/index.ts";
import { fileStorage } from "./storage/fileStorage.ts";

it("two tabs paying in parallel on one channel never sign conflicting balances", { timeout: 20_000 }, async () => {
  const sender = privateKeyToAccount(generatePrivateKey()).address;
  const sessionKey = generatePrivateKey();
  const session = privateKeyToAccount(sessionKey).address;
  const requirements: PaymentRequirements = {
    gatewayPath: "/api/1",
    receiver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    chainId: 31337,
    price: 10n,
  };
  const storagePath = join(await mkdtemp(join(tmpdir(), "cross-tab-")), "channels.json");
  await fileStorage(storagePath).put({
    chainId: 31337,
    contract: requirements.contract,
    token: requirements.token,
    sender,
    receiver: requirements.receiver,
    openBlock: 5n,
    deposit: 1000n,
    balance: 0n,
    balanceSignature: undefined,
    delegatedSigner: session,
    sessionKey,
    state: "open",
    settleBlock: undefined,
  });

  // A strict receiver: each payment must be exactly the last accepted balance plus the price. As the protocol allows
  // (and the real receiver does), the exact latest proof sent again — a transport retry of a request whose answer was
  // lost — is served again without charging; a second request paid with an old balance is refused.
  let accepted = 0n;
  let acceptedSignature: string | undefined;
  const signedBalances: bigint[] = [];
  const server = createServer(async (req, res) => {
    const headers = new Headers(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    const payment = decodePaymentHeaders(headers);
    if (payment) {
      if (payment.balance === accepted && payment.signature === acceptedSignature) {
        const echo = { sender, balance: accepted, signature: payment.signature };
        res.writeHead(200, encodePaymentResponseHeaders({ requirements, echo })).end("paid");
        return;
      }
      signedBalances.push(payment.balance);
      const valid = await verifyBalanceProof({
        domain: { chainId: 31337, contract: requirements.contract },
        message: { sender, receiver: requirements.receiver, openBlock: 5n, balance: payment.balance },
        signature: payment.signature,
        delegatedSigner: session,
      });
      if (valid && payment.balance === accepted + requirements.price) {
        accepted = payment.balance;
        acceptedSignature = payment.signature;
        const echo = { sender, balance: accepted, signature: payment.signature };
        res.writeHead(200, encodePaymentResponseHeaders({ requirements, echo })).end("paid");
        return;
      }
      const echo = { sender, balance: accepted, signature: undefined };
      res
        .writeHead(
          402,
          encodePaymentResponseHeaders({ requirements, echo, failure: { code: "invalid_amount", value: 1n } }),
        )
        .end();
      return;
    }
    res.writeHead(402, encodePaymentResponseHeaders({ requirements })).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/paid`;

  const tab = () =>
    new Promise<number[]>((resolve, reject) => {
      const worker = new Worker(new URL("./crossTab.worker.test-helper.ts", import.meta.url), {
        workerData: { url, storagePath, sender, requests: 10 },
      });
      worker.once("message", resolve);
      worker.once("error", reject);
    });
  try {
    const [first, second] = await Promise.all([tab(), tab()]);
    assert.deepEqual([...(first ?? []), ...(second ?? [])], Array(20).fill(200));
  } finally {
    server.close();
  }
  // Every balance was signed once, in order: no conflicting signatures, each request paid once (a tab that signed a
  // balance already paid would leave one of the twenty requests with no new balance here).
  assert.deepEqual(
    signedBalances,
    Array.from({ length: 20 }, (_, i) => BigInt(i + 1) * requirements.price),
  );
  const stored = await fileStorage(storagePath).get({
    chainId: 31337,
    contract: requirements.contract,
    sender,
    receiver: requirements.receiver,
    openBlock: 5n,
  });
  assert.equal(stored?.balance, 200n);
});
