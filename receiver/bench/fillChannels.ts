// Fills a receiver's store (SQLite or PostgreSQL, through the store interface) with `channels` channels as after a
// long catch-up: channel i created in block 2i + 1 with one ChannelCreated event and one accepted proof, and a cursor
// row for every block up to the head (returned). The middle channel's sender is `benchPayer`, whose key the benches
// hold: they pay on it. For the benches only.
import { balanceProofTypedData, type Deployment } from "@micro-raiden/web-client/protocol";
import {
  createPublicClient,
  custom,
  encodeAbiParameters,
  getAddress,
  type Hex,
  numberToHex,
  parseEther,
  toHex,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import type { AsyncProofStore } from "../src/store/AsyncProofStore.ts";
import type { ProofStore } from "../src/store/ProofStore.ts";
import type { ChainEvent, ProofRecord } from "../src/store/records.ts";

/** The local chain's deployment the benches' stores belong to (nothing is read from a chain). */
export const benchDeployment: Deployment = {
  chainId: 31337,
  channelManager: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
  token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
  deploymentBlock: 1,
  challengePeriod: 500,
};

/** The receiver of the benches' channels, and a sender whose channel they pay on (fixed keys: nothing real). */
export const benchReceiver = privateKeyToAccount(`0x${"22".repeat(32)}`);
export const benchPayer = privateKeyToAccount(`0x${"33".repeat(32)}`);

/** What the benches' paid request costs. */
export const benchPrice = 1000n;

/** `benchPayer`'s proof for its channel's next payment (its stored balance + `benchPrice`), to `benchReceiver`. */
export function benchPayment(channels: number): Promise<Hex> {
  const { openBlock, balance } = benchPayerChannel(channels);
  return benchPayer.signTypedData(
    balanceProofTypedData(
      { chainId: benchDeployment.chainId, contract: benchDeployment.channelManager },
      { sender: benchPayer.address, receiver: benchReceiver.address, openBlock, balance: balance + benchPrice },
    ),
  );
}

/** The channel of `benchPayer` among `channels` filled ones: its identity and the balance its stored proof holds. */
export function benchPayerChannel(channels: number): { openBlock: bigint; balance: bigint } {
  const i = Math.floor(channels / 2);
  return { openBlock: BigInt(2 * i + 1), balance: BigInt(i + 1) * 1000n };
}

/** A public client whose only answer is the token balance, like the app tests' fake: /stats makes one eth_call. */
export const benchPublicClient = createPublicClient({
  transport: custom({
    async request({ method }: { method: string }) {
      if (method === "eth_chainId") return numberToHex(benchDeployment.chainId);
      if (method === "eth_call") return encodeAbiParameters([{ type: "uint256" }], [parseEther("42")]);
      throw new Error(`fake RPC: unexpected ${method}`);
    },
  }),
});

export async function fillChannels(store: ProofStore | AsyncProofStore, channels: number): Promise<bigint> {
  const head = BigInt(2 * channels + 10);
  const batch = 5000;
  for (let from = 0; from < channels; from += batch) {
    const events: ChainEvent[] = [];
    const proofs: ProofRecord[] = [];
    for (let i = from; i < Math.min(channels, from + batch); i++) {
      const sender = i === Math.floor(channels / 2) ? benchPayer.address : getAddress(toHex(i + 1, { size: 20 }));
      const block = BigInt(2 * i + 1);
      events.push({
        blockNumber: block,
        blockHash: toHex(block, { size: 32 }),
        logIndex: 0,
        transactionHash: toHex(block, { size: 32 }),
        name: "ChannelCreated",
        sender,
        openBlock: block,
        amounts: { deposit: parseEther("1") },
      });
      proofs.push({
        sender,
        openBlock: block,
        balance: BigInt(i + 1) * 1000n,
        signature: toHex(BigInt(i + 1), { size: 65 }) satisfies Hex,
        request: "GET /x",
        committedAt: 0,
      });
    }
    const first = BigInt(2 * from + 1);
    const last = BigInt(2 * Math.min(channels, from + batch));
    const blocks = [];
    for (let b = first; b <= last; b++) blocks.push({ number: b, hash: toHex(b, { size: 32 }) });
    await store.appendBlocks(blocks, events);
    await store.saveProofs(proofs);
  }
  const tail = [];
  for (let b = BigInt(2 * channels + 1); b <= head; b++) tail.push({ number: b, hash: toHex(b, { size: 32 }) });
  await store.appendBlocks(tail, []);
  return head;
}
