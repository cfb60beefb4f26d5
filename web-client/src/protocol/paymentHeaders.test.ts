import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { maxUint256 } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { headerNames } from "./headers.ts";
import { MalformedHeaderError } from "./MalformedHeaderError.ts";
import {
  decodePaymentHeaders,
  decodePaymentResponseHeaders,
  echoesPayment,
  encodePaymentHeaders,
  encodePaymentResponseHeaders,
  type Payment,
  type PaymentRequirements,
} from "./paymentHeaders.ts";
import { packDelegatedSignature } from "./signerDelegationTypedData.ts";
import { balanceProofTypedData } from "./typedData.ts";

const account = privateKeyToAccount(generatePrivateKey());
const requirements: PaymentRequirements = {
  gatewayPath: "/api/1",
  receiver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
  contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  chainId: 31337,
  price: 1_000_000_000_000_000n,
};
const message = { sender: account.address, receiver: requirements.receiver, openBlock: 12n, balance: 5n * 10n ** 15n };
const signature = await account.signTypedData(
  balanceProofTypedData({ chainId: requirements.chainId, contract: requirements.contract }, message),
);
const payment: Payment = { ...message, contract: requirements.contract, signature };
const secp256k1n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

function malformed(header: string, reason?: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof MalformedHeaderError, `expected MalformedHeaderError, got ${error}`);
    assert.equal(error.header, header);
    assert.equal(error.code, "malformed_header");
    if (reason) assert.match(error.message, reason);
    return true;
  };
}

describe("payment request headers", () => {
  it("round-trip through encode and decode", () => {
    assert.deepEqual(decodePaymentHeaders(new Headers(encodePaymentHeaders(payment))), payment);
  });

  it("round-trip a payment by a delegated key with its RDN-Signer-Delegation", () => {
    const delegated: Payment = { ...payment, delegation: signature };
    const headers = encodePaymentHeaders(delegated);
    assert.equal(headers[headerNames.signerDelegation], signature);
    assert.deepEqual(decodePaymentHeaders(new Headers(headers)), delegated);
    assert.equal(encodePaymentHeaders(payment)[headerNames.signerDelegation], undefined);
  });

  it("rejects a delegation that is not one low-s 65-byte signature, or that comes without a payment", () => {
    const base = encodePaymentHeaders(payment);
    const highS = `${signature.slice(0, 66)}${(secp256k1n - BigInt(`0x${signature.slice(66, 130)}`)).toString(16).padStart(64, "0")}1b`;
    for (const value of ["0x12", `${signature}00`, `${signature}, ${signature}`, highS, `0x${"ab".repeat(75)}`]) {
      assert.throws(
        () => decodePaymentHeaders(new Headers({ ...base, [headerNames.signerDelegation]: value })),
        malformed(headerNames.signerDelegation),
        value,
      );
    }
    assert.throws(
      () => decodePaymentHeaders(new Headers({ [headerNames.signerDelegation]: signature })),
      malformed(headerNames.signerDelegation, /without a payment/),
    );
  });

  it("an unpaid request decodes to undefined", () => {
    assert.equal(decodePaymentHeaders(new Headers({ accept: "text/html" })), undefined);
  });

  it("a partial payment is malformed, naming the missing header", () => {
    const headers = new Headers(encodePaymentHeaders(payment));
    headers.delete(headerNames.openBlock);
    assert.throws(() => decodePaymentHeaders(headers), malformed(headerNames.openBlock, /missing/));
  });

  const cases: [string, string, string, RegExp][] = [
    ["a negative balance", headerNames.balance, "-5", /unsigned decimal/],
    ["a balance with a plus sign", headerNames.balance, "+5", /unsigned decimal/],
    ["a balance in hex", headerNames.balance, "0x10", /unsigned decimal/],
    ["a balance with leading zeros", headerNames.balance, "0010", /unsigned decimal/],
    ["a balance in exponent notation", headerNames.balance, "1e18", /unsigned decimal/],
    ["a fractional balance", headerNames.balance, "1.5", /unsigned decimal/],
    ["a balance above 2^256 - 1", headerNames.balance, (maxUint256 + 1n).toString(), /at most/],
    ["an open block above 2^64 - 1", headerNames.openBlock, (2n ** 64n).toString(), /at most/],
    ["a non-hex sender", headerNames.senderAddress, `0x${"zz".repeat(20)}`, /20-byte hex address/],
    ["a short sender", headerNames.senderAddress, "0x1234", /20-byte hex address/],
    ["a bad checksum", headerNames.senderAddress, "0x70997970c51812dc3A010C7d01b50e0d17dc79C8", /checksum/],
    ["a duplicated header", headerNames.balance, "5, 6", /more than once/],
    ["an oversized header", headerNames.balanceSignature, `0x${"ab".repeat(151)}`, /longer than/],
    ["a short signature", headerNames.balanceSignature, signature.slice(0, 130), /65-byte/],
    ["a v of 0", headerNames.balanceSignature, `${signature.slice(0, 130)}00`, /v of 27 or 28/],
    ["an empty value", headerNames.balance, "", /missing/],
  ];
  for (const [name, header, value, reason] of cases) {
    it(`rejects ${name}`, () => {
      const headers = new Headers(encodePaymentHeaders(payment));
      headers.set(header, value);
      assert.throws(() => decodePaymentHeaders(headers), malformed(header, reason));
    });
  }

  it("rejects a malleated (high-s) signature", () => {
    const s = BigInt(`0x${signature.slice(66, 130)}`);
    const v = signature.slice(130) === "1b" ? "1c" : "1b";
    const high = `${signature.slice(0, 66)}${(secp256k1n - s).toString(16).padStart(64, "0")}${v}`;
    const headers = new Headers(encodePaymentHeaders(payment));
    headers.set(headerNames.balanceSignature, high);
    assert.throws(() => decodePaymentHeaders(headers), malformed(headerNames.balanceSignature, /high s/));
  });

  it("accepts an all-lowercase address and returns it checksummed", () => {
    const headers = new Headers(encodePaymentHeaders(payment));
    headers.set(headerNames.senderAddress, account.address.toLowerCase());
    assert.equal(decodePaymentHeaders(headers)?.sender, account.address);
  });

  it("still refuses a bad checksum of an address it has already accepted (parsed addresses are remembered)", () => {
    const headers = new Headers(encodePaymentHeaders(payment));
    for (let i = 0; i < 2; i++) assert.equal(decodePaymentHeaders(headers)?.sender, account.address);
    const flipped = `0x${account.address.slice(2).replace(/[a-fA-F]/, (c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()))}`;
    headers.set(headerNames.senderAddress, flipped);
    assert.throws(() => decodePaymentHeaders(headers), malformed(headerNames.senderAddress, /checksum/));
    headers.set(headerNames.senderAddress, `${account.address},${account.address}`);
    assert.throws(() => decodePaymentHeaders(headers), malformed(headerNames.senderAddress, /more than once/));
  });
});

describe("payment response headers", () => {
  const echo = { sender: account.address, balance: 5n, signature };

  it("round-trip requirements, echo and one failure", () => {
    const headers = new Headers(
      encodePaymentResponseHeaders({ requirements, echo, failure: { code: "insufficient_confirmations", value: 3n } }),
    );
    assert.deepEqual(decodePaymentResponseHeaders(headers), {
      requirements,
      echo,
      failure: { code: "insufficient_confirmations", value: 3n },
    });
  });

  it("round-trip an echoed delegated signature (150 bytes), and refuse a malformed one", () => {
    const packed = packDelegatedSignature({ proof: signature, signer: account.address, delegation: signature });
    const headers = new Headers(encodePaymentResponseHeaders({ requirements, echo: { ...echo, signature: packed } }));
    assert.equal(decodePaymentResponseHeaders(headers).echo?.signature, packed.toLowerCase());
    const highS = `${packed.slice(0, 238)}${(secp256k1n - BigInt(`0x${packed.slice(238, 302 - 2)}`)).toString(16).padStart(64, "0")}${packed.slice(300)}`;
    for (const value of [highS, `${packed.slice(0, 300)}zz`, `${packed}00`]) {
      headers.set(headerNames.balanceSignature, value);
      assert.throws(() => decodePaymentResponseHeaders(headers), malformed(headerNames.balanceSignature), value);
    }
  });

  it("an echo without a stored proof decodes with no signature", () => {
    const headers = new Headers(
      encodePaymentResponseHeaders({ requirements, echo: { ...echo, signature: undefined } }),
    );
    assert.deepEqual(decodePaymentResponseHeaders(headers).echo, { ...echo, signature: undefined });
  });

  it("rejects a response missing a requirement", () => {
    const headers = new Headers(encodePaymentResponseHeaders({ requirements }));
    headers.delete(headerNames.chainId);
    assert.throws(() => decodePaymentResponseHeaders(headers), malformed(headerNames.chainId, /missing/));
  });

  it("rejects contradictory failure reasons", () => {
    const headers = new Headers(
      encodePaymentResponseHeaders({ requirements, failure: { code: "invalid_amount", value: 1n } }),
    );
    headers.set(headerNames.nonexistingChannel, "1");
    assert.throws(
      () => decodePaymentResponseHeaders(headers),
      (error: unknown) => {
        assert.ok(error instanceof MalformedHeaderError);
        assert.match(error.message, /contradicts another failure/);
        return true;
      },
    );
  });

  it("rejects a sender balance without a sender", () => {
    const headers = new Headers(encodePaymentResponseHeaders({ requirements }));
    headers.set(headerNames.senderBalance, "5");
    assert.throws(() => decodePaymentResponseHeaders(headers), malformed(headerNames.senderAddress));
  });

  it("rejects a chain id of zero and a gateway path that is not a path", () => {
    const zero = new Headers(encodePaymentResponseHeaders({ requirements }));
    zero.set(headerNames.chainId, "0");
    assert.throws(() => decodePaymentResponseHeaders(zero), malformed(headerNames.chainId, /positive/));
    const url = new Headers(encodePaymentResponseHeaders({ requirements }));
    url.set(headerNames.gatewayPath, "https://evil.example/api");
    assert.throws(() => decodePaymentResponseHeaders(url), malformed(headerNames.gatewayPath, /absolute path/));
  });
});

describe("echoesPayment", () => {
  const echoed = (echo: { sender: `0x${string}`; balance: bigint; signature: `0x${string}` | undefined }) =>
    new Headers(encodePaymentResponseHeaders({ requirements, echo }));
  const other = `0x${"11".repeat(32)}${"22".repeat(32)}1b` as const;

  it("is true only for the payment itself: its sender, balance and proof (first in a delegated key's echo)", () => {
    assert.equal(echoesPayment(echoed({ sender: payment.sender, balance: payment.balance, signature }), payment), true);
    const delegated = packDelegatedSignature({ proof: signature, signer: requirements.receiver, delegation: other });
    assert.equal(
      echoesPayment(echoed({ sender: payment.sender, balance: payment.balance, signature: delegated }), payment),
      true,
    );
    for (const echo of [
      { sender: requirements.receiver, balance: payment.balance, signature },
      { sender: payment.sender, balance: payment.balance + 1n, signature },
      { sender: payment.sender, balance: payment.balance, signature: other },
      { sender: payment.sender, balance: payment.balance, signature: undefined },
    ]) {
      assert.equal(
        echoesPayment(echoed(echo), payment),
        false,
        JSON.stringify(echo, (_, v) => String(v)),
      );
    }
    assert.equal(echoesPayment(new Headers(encodePaymentResponseHeaders({ requirements })), payment), false);
    assert.equal(echoesPayment(new Headers({ [headerNames.senderBalance]: "x" }), payment), false, "malformed");
  });
});
