// The browser-wallet path, against an EIP-1193 provider that behaves like MetaMask: accounts only after a connect
// request, the selected account first in eth_accounts, accountsChanged / chainChanged events, eth_signTypedData_v4
// with [address, JSON] (and signing with any permitted account it is given, as MetaMask does), chain switching with
// 4902 for unknown chains, and 4001 when the user clicks "Reject".
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type Address, type Chain, defineChain, type EIP1193Provider, UserRejectedRequestError } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { connect } from "../actions/connect.ts";
import { disconnect } from "../actions/disconnect.ts";
import { ensureChain } from "../actions/ensureChain.ts";
import { getConnection } from "../actions/getConnection.ts";
import { pay } from "../actions/pay.ts";
import { reconnect } from "../actions/reconnect.ts";
import { signBalanceProof } from "../actions/signBalanceProof.ts";
import { watchConnection } from "../actions/watchConnection.ts";
import { AccountMismatchError } from "../errors/AccountMismatchError.ts";
import { NoAccountError } from "../errors/NoAccountError.ts";
import { NotConnectedError } from "../errors/NotConnectedError.ts";
import { memoryLock } from "../locks/memoryLock.ts";
import { verifyBalanceProof } from "../protocol/index.ts";
import type { StoredChannel } from "../storage/ChannelStorage.ts";
import { memoryStorage } from "../storage/memoryStorage.ts";
import type { Connection } from "./Connection.ts";
import { createChannelClient } from "./createChannelClient.ts";

type Call = { method: string; params: unknown };

function fakeMetaMask(options: { chainId: number; knownChains: number[] }) {
  const accounts = [privateKeyToAccount(generatePrivateKey()), privateKeyToAccount(generatePrivateKey())];
  const state = {
    chainId: options.chainId,
    known: new Set(options.knownChains),
    connected: false,
    selected: 0,
    reject: new Set<string>(),
    emptyAccounts: false,
  };
  const calls: Call[] = [];
  const listeners = new Map<string, Set<(value: unknown) => void>>();
  const emit = (event: string, value: unknown) => {
    for (const listener of listeners.get(event) ?? []) listener(value);
  };
  const rpcError = (code: number, message: string) => Object.assign(new Error(message), { code });
  const selectedAddresses = () => {
    const selected = accounts[state.selected];
    return state.emptyAccounts || !selected ? [] : [selected.address.toLowerCase()];
  };
  const provider = {
    async request({ method, params }: { method: string; params?: unknown }) {
      calls.push({ method, params });
      if (state.reject.has(method)) throw rpcError(4001, "User rejected the request.");
      switch (method) {
        case "eth_requestAccounts":
          state.connected = true;
          return selectedAddresses();
        case "eth_accounts":
          return state.connected ? selectedAddresses() : [];
        case "eth_chainId":
          return `0x${state.chainId.toString(16)}`;
        case "wallet_switchEthereumChain": {
          const [{ chainId }] = params as [{ chainId: string }];
          const id = Number(chainId);
          if (!state.known.has(id)) throw rpcError(4902, `Unrecognized chain ID "${chainId}".`);
          state.chainId = id;
          emit("chainChanged", chainId);
          return null;
        }
        case "wallet_addEthereumChain": {
          const [{ chainId }] = params as [{ chainId: string }];
          state.known.add(Number(chainId));
          state.chainId = Number(chainId);
          emit("chainChanged", chainId);
          return null;
        }
        case "eth_signTypedData_v4": {
          const [address, json] = params as [string, string];
          // MetaMask signs with any account the site may use, not only the selected one.
          const signer = accounts.find((a) => a.address.toLowerCase() === address.toLowerCase());
          assert.ok(signer, `no such account ${address}`);
          const typedData = JSON.parse(json);
          // MetaMask refuses typed data for another chain than the selected one.
          if (Number(typedData.domain.chainId) !== state.chainId) throw rpcError(-32603, "chainId mismatch");
          const { EIP712Domain: _, ...types } = typedData.types;
          return signer.signTypedData({ ...typedData, types });
        }
        default:
          throw rpcError(4200, `Unsupported method ${method}`);
      }
    },
    on(event: string, listener: (value: unknown) => void) {
      listeners.set(event, (listeners.get(event) ?? new Set()).add(listener));
    },
    removeListener(event: string, listener: (value: unknown) => void) {
      listeners.get(event)?.delete(listener);
    },
  };
  /** The reader picks another account in the wallet; `silently` when the page misses the event. */
  const switchAccount = (index: number, { silently = false } = {}) => {
    state.selected = index;
    if (!silently) emit("accountsChanged", selectedAddresses());
  };
  const listenerCount = () => [...listeners.values()].reduce((n, set) => n + set.size, 0);
  return {
    provider: provider as unknown as EIP1193Provider,
    account: accounts[0] ?? assert.fail(),
    other: accounts[1] ?? assert.fail(),
    state,
    calls,
    emit,
    switchAccount,
    listenerCount,
  };
}

const local = defineChain({
  id: 31337,
  name: "Local",
  nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
  rpcUrls: { default: { http: ["http://127.0.0.1:8545"] } },
});

function channelFor(sender: Address, sessionKey?: `0x${string}`): StoredChannel {
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
    delegatedSigner: sessionKey ? privateKeyToAccount(sessionKey).address : undefined,
    sessionKey,
    state: "open",
    settleBlock: undefined,
  };
}

const neverSend = async () => assert.fail("send must not be called");

describe("a MetaMask-like wallet: connecting", () => {
  it("creating a client asks the wallet nothing; connect asks for the account and reads the chain", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    const client = createChannelClient({ provider: wallet.provider, storage: memoryStorage() });
    assert.equal(wallet.calls.length, 0);
    assert.equal(getConnection(client).status, "disconnected");
    const connection = await connect(client);
    assert.deepEqual(connection, { status: "connected", address: wallet.account.address, chainId: 31337 });
    assert.equal(wallet.calls[0]?.method, "eth_requestAccounts");
    assert.equal(getConnection(client), getConnection(client), "one snapshot object until something changes");
  });

  it("a rejected connection is viem's UserRejectedRequestError, asked once", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    wallet.state.reject.add("eth_requestAccounts");
    const client = createChannelClient({ provider: wallet.provider });
    await assert.rejects(connect(client), (error: unknown) => error instanceof UserRejectedRequestError);
    assert.equal(wallet.calls.filter((c) => c.method === "eth_requestAccounts").length, 1);
    assert.equal(getConnection(client).status, "disconnected");
  });

  it("a wallet that returns no account is NoAccountError", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    wallet.state.emptyAccounts = true;
    const client = createChannelClient({ provider: wallet.provider });
    await assert.rejects(connect(client), (error: unknown) => {
      assert.ok(error instanceof NoAccountError);
      assert.equal(error.shortMessage, "The wallet returned no account.");
      return true;
    });
  });

  it("reconnect connects without a prompt when the site is already allowed, and stays disconnected otherwise", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    const client = createChannelClient({ provider: wallet.provider });
    assert.equal((await reconnect(client)).status, "disconnected");
    wallet.state.connected = true;
    assert.equal((await reconnect(client)).address, wallet.account.address);
    assert.ok(wallet.calls.every((c) => c.method !== "eth_requestAccounts"));
  });

  it("follows accountsChanged and chainChanged, and stops following on disconnect", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    const client = createChannelClient({ provider: wallet.provider });
    await connect(client);
    const seen: [Connection, Connection][] = [];
    const unwatch = watchConnection(client, { onChange: (connection, previous) => seen.push([connection, previous]) });
    wallet.switchAccount(1);
    wallet.emit("chainChanged", "0x1");
    wallet.emit("chainChanged", "0x1"); // no change, no call
    assert.deepEqual(
      seen.map(([connection]) => connection),
      [
        { status: "connected", address: wallet.other.address, chainId: 31337 },
        { status: "connected", address: wallet.other.address, chainId: 1 },
      ],
    );
    assert.equal(seen[0]?.[1].address, wallet.account.address);
    wallet.switchAccount(0);
    wallet.state.emptyAccounts = true;
    wallet.emit("accountsChanged", []); // the reader locked the wallet
    assert.equal(getConnection(client).status, "disconnected");
    unwatch();
    disconnect(client);
    assert.equal(wallet.listenerCount(), 0);
  });
});

describe("a MetaMask-like wallet: signing", () => {
  it("signs a balance proof with eth_signTypedData_v4 that verifies", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    const client = createChannelClient({ provider: wallet.provider, signing: "wallet" });
    const { address } = await connect(client);
    const channel = channelFor(address);
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

  for (const silently of [false, true]) {
    it(`never signs with the old account after the reader switched accounts${silently ? " (event missed)" : ""}`, async () => {
      const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
      const storage = memoryStorage();
      const client = createChannelClient({ provider: wallet.provider, storage, lock: memoryLock(), signing: "wallet" });
      await connect(client);
      const channel = channelFor(wallet.account.address);
      await storage.put(channel);
      wallet.switchAccount(1, { silently });
      await assert.rejects(pay(client, { channel, amount: 5n, send: neverSend }), (error: unknown) => {
        assert.ok(error instanceof AccountMismatchError);
        assert.equal(error.sender, wallet.account.address);
        assert.equal(error.account, wallet.other.address);
        return true;
      });
      assert.ok(wallet.calls.every((c) => c.method !== "eth_signTypedData_v4"));
      assert.equal(getConnection(client).address, wallet.other.address);
      assert.deepEqual(await storage.get(channel), channel);
    });
  }

  it("does not pay with the old account's session key after the reader switched accounts", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    const storage = memoryStorage();
    const client = createChannelClient({ provider: wallet.provider, storage, lock: memoryLock() });
    await connect(client);
    const channel = channelFor(wallet.account.address, generatePrivateKey());
    await storage.put(channel);
    wallet.switchAccount(1);
    await assert.rejects(pay(client, { channel, amount: 5n, send: neverSend }), AccountMismatchError);
    wallet.switchAccount(0);
    const result = await pay(client, {
      channel,
      amount: 5n,
      send: async () => ({ accepted: true, result: "paid" }),
    });
    assert.equal(result, "paid");
  });

  it("signs nothing before connect or after disconnect: NotConnectedError", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    const client = createChannelClient({ provider: wallet.provider, signing: "wallet" });
    const channel = channelFor(wallet.account.address);
    await assert.rejects(signBalanceProof(client, { channel, balance: 5n }), NotConnectedError);
    await connect(client);
    disconnect(client);
    await assert.rejects(signBalanceProof(client, { channel, balance: 5n }), NotConnectedError);
    assert.ok(wallet.calls.every((c) => c.method !== "eth_signTypedData_v4"));
  });

  it("switches to the channel's chain before signing, adding it when the wallet does not know it", async () => {
    const wallet = fakeMetaMask({ chainId: 1, knownChains: [1] });
    const chains: Chain[] = [local];
    const client = createChannelClient({ provider: wallet.provider, chains, signing: "wallet" });
    await connect(client);
    assert.equal((await ensureChain(client, { chainId: 31337 })).id, 31337);
    assert.deepEqual(
      wallet.calls.map((c) => c.method).filter((m) => m.startsWith("wallet_")),
      ["wallet_switchEthereumChain", "wallet_addEthereumChain"],
    );
    assert.equal(wallet.state.chainId, 31337);
    assert.equal(getConnection(client).chainId, 31337);
    // Already there: no prompt at all.
    const before = wallet.calls.length;
    await ensureChain(client, { chainId: 31337 });
    assert.ok(wallet.calls.slice(before).every((c) => !c.method.startsWith("wallet_")));
  });

  it("a rejected switch is viem's UserRejectedRequestError", async () => {
    const wallet = fakeMetaMask({ chainId: 1, knownChains: [1, 31337] });
    wallet.state.reject.add("wallet_switchEthereumChain");
    const client = createChannelClient({ provider: wallet.provider, chains: [local] });
    await assert.rejects(
      ensureChain(client, { chainId: 31337 }),
      (error: unknown) => error instanceof UserRejectedRequestError,
    );
  });

  it("a rejected signature is UserRejectedRequestError, and the payment records nothing", async () => {
    const wallet = fakeMetaMask({ chainId: 31337, knownChains: [31337] });
    wallet.state.reject.add("eth_signTypedData_v4");
    const storage = memoryStorage();
    const client = createChannelClient({ provider: wallet.provider, storage, lock: memoryLock(), signing: "wallet" });
    const { address } = await connect(client);
    const channel = channelFor(address);
    await storage.put(channel);
    await assert.rejects(
      pay(client, { channel, amount: 5n, send: neverSend }),
      (error: unknown) => error instanceof UserRejectedRequestError,
    );
    assert.deepEqual(await storage.get(channel), channel);
  });
});
