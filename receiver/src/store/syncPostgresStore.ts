import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import type { AsyncProofStore } from "./AsyncProofStore.ts";
import type { ProofStore } from "./ProofStore.ts";

/** What a call waits for at most before it throws: a database that stopped answering must not hang the receiver. */
const defaultCallTimeoutMs = 15_000;

type Call = { id: number; method: keyof AsyncProofStore; args: unknown[] };
export type SyncPostgresAnswer = { id: number; value?: unknown; error?: string };

/**
 * The ProofStore interface (synchronous, as the receiver's core and watcher call it) over `postgresStore` running
 * on a worker thread: each call posts to the worker and blocks this thread until the database answered, as a
 * `node:sqlite` call blocks on its file. The proof commits of paid requests do not come here: startReceiver sends
 * them through an asynchronous store (`postgresStore`), which never blocks.
 *
 * A stopgap until the core awaits its store: then it uses `postgresStore` directly.
 */
export async function syncPostgresStore(
  url: string,
  options: { callTimeoutMs?: number | undefined } = {},
): Promise<ProofStore> {
  const callTimeoutMs = options.callTimeoutMs ?? defaultCallTimeoutMs;
  // Built, this module is syncPostgresStore.js beside its worker's .js; run from the sources, both end in .ts.
  const extension = import.meta.url.endsWith(".ts") ? ".ts" : ".js";
  const { port1: port, port2: workerPort } = new MessageChannel();
  // Slot 0: the id of the last call the worker answered, which this thread waits on.
  const answered = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL(`./syncPostgresStoreWorker${extension}`, import.meta.url), {
    workerData: { url, port: workerPort, answered },
    transferList: [workerPort],
  });
  await new Promise<void>((resolve, reject) => {
    worker.once("message", (message: { ready?: true; error?: string }) =>
      message.ready ? resolve() : reject(new Error(message.error ?? "The PostgreSQL store did not open.")),
    );
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new Error(`The PostgreSQL store's thread stopped (exit code ${code}).`)));
  });
  // The worker exits only when closed; that must not keep this process alive on its own.
  worker.unref();

  let nextId = 1;
  let closed = false;
  function call(method: keyof AsyncProofStore, args: unknown[]): unknown {
    if (closed) throw new Error("The PostgreSQL store is closed.");
    const id = nextId++;
    port.postMessage({ id, method, args } satisfies Call);
    const deadline = Date.now() + callTimeoutMs;
    for (;;) {
      const seen = Atomics.load(answered, 0);
      if (seen === id) break;
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(answered, 0, seen, left) === "timed-out") {
        throw new Error(`The PostgreSQL store did not answer ${method} within ${callTimeoutMs} ms.`);
      }
    }
    // Answers to calls that timed out earlier may still be queued: skip them.
    for (;;) {
      const received = receiveMessageOnPort(port);
      if (!received) throw new Error(`The PostgreSQL store's answer to ${method} is missing.`);
      const answer = received.message as SyncPostgresAnswer;
      if (answer.id !== id) continue;
      if (answer.error !== undefined) throw new Error(answer.error);
      return answer.value;
    }
  }

  // Each method returns what the worker's postgresStore resolved with (structured clone keeps bigints).
  return {
    saveProofs: (proofs) => void call("saveProofs", [proofs]),
    loadProofs: () => call("loadProofs", []) as ReturnType<ProofStore["loadProofs"]>,
    lastBlock: () => call("lastBlock", []) as ReturnType<ProofStore["lastBlock"]>,
    blockHash: (number) => call("blockHash", [number]) as ReturnType<ProofStore["blockHash"]>,
    blockBelow: (number) => call("blockBelow", [number]) as ReturnType<ProofStore["blockBelow"]>,
    appendBlocks: (blocks, events) => void call("appendBlocks", [blocks, events]),
    rollbackTo: (number) => void call("rollbackTo", [number]),
    loadEvents: () => call("loadEvents", []) as ReturnType<ProofStore["loadEvents"]>,
    loadChannels: (filter) => call("loadChannels", [filter]) as ReturnType<ProofStore["loadChannels"]>,
    channelTotals: (confirmedBlock) =>
      call("channelTotals", [confirmedBlock]) as ReturnType<ProofStore["channelTotals"]>,
    saveClosingAgreement: (agreement) => void call("saveClosingAgreement", [agreement]),
    deleteClosingAgreement: (sender, openBlock) => void call("deleteClosingAgreement", [sender, openBlock]),
    loadClosingAgreements: () => call("loadClosingAgreements", []) as ReturnType<ProofStore["loadClosingAgreements"]>,
    saveChallenge: (challenge) => void call("saveChallenge", [challenge]),
    loadChallenges: () => call("loadChallenges", []) as ReturnType<ProofStore["loadChallenges"]>,
    loadEarnings: (since) => call("loadEarnings", [since]) as ReturnType<ProofStore["loadEarnings"]>,
    close() {
      if (closed) return;
      try {
        call("close", []);
      } finally {
        closed = true;
        port.close();
        void worker.terminate();
      }
    },
  };
}
