// The browser-wallet path, against an EIP-1193 provider that behaves like MetaMask: accounts only after a connect
// request, eth_signTypedData_v4 with [address, JSON], chain switching with 4902 for unknown chains, and 4001 when
// the user clicks "Reject".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Chain, defineChain, type EIP1193Provider, UserRejectedRequestError } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { pay } from "../actions/pay.ts";
import { signBalanceProof } from "../actions/signBalanceProof.ts";
import { verifyBalanceProof } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import { memoryLock } from "./channelLock.ts";
import { createChannelClient } from "./createChannelClient.ts";
import { ensureChain } from "./ensureChain.ts";

type Call = { method: string; params: unknown };

function fakeMetaMask(options: { chainId: number; knownChains: number[] }) {
  const account = privateKeyToAccount(generatePrivateKey());
  const state = {
    chainId: options.chainId,
    known: new Set(options.knownChains),
    connected: false,
    reject: new Set<string>(),
  };
  const calls: Call[] = [];
  const rpcError = (code: number, message: string) => Object.assign(new Error(message), { code });
  const provider = {
    async request({ method, params }: { method: string; params?: unknown }) {
      calls.push({ method, params });
      if (state.reject.has(method)) throw rpcError(4001, "User rejected the request.");
      switch (method) {
        case "eth_requestAccounts":
          state.connected = true;
          return [account.address];
        case "eth_accounts":
          return state.connected ? [account.address] : [];
        case "eth_chainId":
          return `0x${state.chainId.toString(16)}`;
        case "wallet_switchEthereumChain": {
          const [{ chainId }] = params as [{ chainId: string }];
          const id = Number(chainId);
          if (!state.known.has(id)) throw rpcError(4902, `Unrecognized chain ID "${chainId}".`);
          state.chainId = id;
          return null;
        }
        case "wallet_addEthereumChain": {
          const [{ chainId }] = params as [{ chainId: string }];
          state.known.add(Number(chainId));
          state.chainId = Number(chainId);
          return null;
        }
        case "eth_signTypedData_v4": {
          const [address, json] = params as [string, string];
          assert.equal(address.toLowerCase(), account.address.toLowerCase());
          const typedData = JSON.parse(json);
          // MetaMask refuses typed data for another chain than the selected one.
          if (Number(typedData.domain.chainId) !== state.chainId) throw rpcError(-32603, "chainId mismatch");
          const { EIP712Domain: _, ...types } = typedData.types;
          return account.signTypedData({ ...typedData, types });
        }
        default:
          throw rpcError(4200, `Unsupported method ${method}`);
      }
    },
    on() {},
    removeListener() {},
  };
  return { provider: provider as unknown as EIP1193Provider, account, state, calls };
}

const local = defineChain({
  id: 31337,
  name: "Local",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: ["http://127.0.0.1:8545"] } },
});

function channelFor(sender: `0x${string}`): StoredChannel {
  return {
    chainId: 31337,
    contract: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
    token: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
    sender,
    receiver: "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    openBlock: 9n,
    deposit: 1000n,
    balance: 0n,
    balanceSignature: undefined,
    delegatedSigner: undefined,
    sessionKey: undefined,
    state: "open",
    settleBlock: undefined,
  };
}

describe("a MetaMask-like wallet", () => {
  it("connects: the client asks for accounts and uses the one the wallet returns", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    const client = await createChannelClient({ provider: wallet.provider, storage: memoryStorage() });
    assert.equal(client.account, wallet.account.address);
    assert.equal(wallet.calls[0]?.method, "eth_requestAccounts");
  });

  it("signs a balance proof with eth_signTypedData_v4 that verifies", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    const client = await createChannelClient({ provider: wallet.provider, signing: "wallet" });
    const channel = channelFor(client.account);
    const signature = await signBalanceProof(client, { channel, balance: 5n });
    assert.ok(wallet.calls.some((c) => c.method === "eth_signTypedData_v4"));
    assert.equal(
      await verifyBalanceProof({
        domain: { chainId: channel.chainId, contract: channel.contract },
        message: { sender: channel.sender, receiver: channel.receiver, openBlock: channel.openBlock, balance: 5n },
        signature,
      }),
      true,
    );
  });

  it("switches to the channel's chain before signing, adding it when the wallet does not know it", async () => {
    const wallet = fakeMetaMask({ chainId: 1, knownChains: [1] });
    const chains: Chain[] = [local];
    const client = await createChannelClient({ provider: wallet.provider, chains, signing: "wallet" });
    assert.equal((await ensureChain(client, 31337)).id, 31337);
    assert.deepEqual(
      wallet.calls.map((c) => c.method).filter((m) => m.startsWith("wallet_")),
      ["wallet_switchEthereumChain", "wallet_addEthereumChain"],
    );
    assert.equal(wallet.state.chainId, 31337);
    // Already there: no prompt at all.
    const before = wallet.calls.length;
    await ensureChain(client, 31337);
    assert.ok(wallet.calls.slice(before).every((c) => !c.method.startsWith("wallet_")));
  });

  it("a rejected switch is viem's UserRejectedRequestError", async () => {
    const wallet = fakeMetaMask({ chainId: 1, knownChains: [1, 31337] });
    wallet.state.reject.add("wallet_switchEthereumChain");
    const client = await createChannelClient({ provider: wallet.provider, chains: [local] });
    await assert.rejects(ensureChain(client, 31337), (error: unknown) => error instanceof UserRejectedRequestError);
  });

  it("a rejected signature is UserRejectedRequestError, and the payment records nothing", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    wallet.state.reject.add("eth_signTypedData_v4");
    const storage = memoryStorage();
    const client = await createChannelClient({
      provider: wallet.provider,
      storage,
      lock: memoryLock(),
      signing: "wallet",
    });
    const channel = channelFor(client.account);
    await storage.put(channel);
    let sent = false;
    await assert.rejects(
      pay(client, {
        channel,
        amount: 5n,
        send: async () => {
          sent = true;
          return { accepted: true, result: undefined };
        },
      }),
      (error: unknown) => error instanceof UserRejectedRequestError,
    );
    assert.equal(sent, false);
    assert.deepEqual(await storage.get(channel), channel);
  });
});
