// One "tab" of the cross-tab test: its own client, storage instance and JavaScript realm (a worker thread), sharing
// only the storage file and the Web Locks of the process with the other tab.
import { workerData } from "node:worker_threads";
import { custom } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { fetchWithPayment } from "./actions/fetchWithPayment.ts";
import { createChannelClient } from "./client/createChannelClient.ts";
import { webLock } from "./locks/webLock.ts";
import { fileStorage } from "./storage/fileStorage.ts";

const { url, storagePath, sender, requests } = workerData as {
  url: string;
  storagePath: string;
  sender: `0x${string}`;
  requests: number;
};
const client = createChannelClient({
  // Session-key payments never touch the chain; the account only names the sender.
  account: { ...privateKeyToAccount(generatePrivateKey()), address: sender },
  transport: custom({ request: async () => null }),
  storage: fileStorage(storagePath),
  lock: webLock(),
});
const statuses = await Promise.all(
  Array.from({ length: requests }, async () => (await fetchWithPayment(client, { input: url })).status),
);
const { parentPort } = await import("node:worker_threads");
parentPort?.postMessage(statuses);
