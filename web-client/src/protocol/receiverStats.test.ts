import assert from "node:assert/strict";
import { it } from "node:test";
import { decodeReceiverStats, encodeReceiverStats, type ReceiverStats } from "./receiverStats.ts";
import { contract, malformedBody, receiver, token } from "./testValues.test-helper.ts";

const stats: ReceiverStats = {
  depositSum: 3n * 10n ** 18n,
  openChannels: 2,
  pendingChannels: 1,
  balanceSum: 5000n,
  uniqueSenders: 2,
  liquidBalance: 10n ** 20n,
  token,
  contract,
  receiver,
  chainId: 31337,
};

it("stats round-trip: counts and chain id as numbers, amounts as decimal strings", () => {
  const json = JSON.parse(JSON.stringify(encodeReceiverStats(stats)));
  assert.deepEqual(json, {
    deposit_sum: "3000000000000000000",
    open_channels: 2,
    pending_channels: 1,
    balance_sum: "5000",
    unique_senders: 2,
    liquid_balance: "100000000000000000000",
    token_address: token,
    contract_address: contract,
    receiver_address: receiver,
    chain_id: 31337,
  });
  assert.deepEqual(decodeReceiverStats(json), stats);
});

it("stats refuse amounts as numbers, fractional counts and a zero chain id", () => {
  const json = encodeReceiverStats(stats);
  assert.throws(() => decodeReceiverStats({ ...json, balance_sum: 5000 }), malformedBody("balance_sum"));
  assert.throws(() => decodeReceiverStats({ ...json, open_channels: 1.5 }), malformedBody("open_channels"));
  assert.throws(() => decodeReceiverStats({ ...json, chain_id: 0 }), malformedBody("chain_id"));
});
