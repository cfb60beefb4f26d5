// Worker thread of verifierPool: checks batches of balance proofs with its own SignatureVerifier, off the HTTP thread.
import { parentPort, workerData } from "node:worker_threads";
import type { Address, Hex } from "viem";
import { SignatureVerifier } from "./signatureVerifier.ts";

type Batch = {
  id: number;
  checks: [sender: string, openBlock: string, balance: string, signature: string, signers: string][];
};

const hexAddress = /^0x[0-9a-fA-F]{40}$/;
const isAddressText = (value: unknown): value is Address => typeof value === "string" && hexAddress.test(value);
const isHexText = (value: string): value is Hex => value.startsWith("0x");

const contract: unknown = Reflect.get(workerData, "contract");
const receiver: unknown = Reflect.get(workerData, "receiver");
if (!isAddressText(contract) || !isAddressText(receiver)) throw new Error("verifierPoolWorker: bad workerData");
const verifier = new SignatureVerifier({
  chainId: Number(Reflect.get(workerData, "chainId")),
  contract,
  receiver,
  // The pool's owner said which recovery is in use; each worker would say it again.
  log: () => {},
});

/** The verdict on one check as the owner sent it; what is malformed is refused, as on the owner's thread. */
function check([sender, openBlock, balance, signature, signers]: Batch["checks"][number]): boolean {
  const signerList = signers.split(",");
  if (!isAddressText(sender) || !isHexText(signature) || !signerList.every(isAddressText)) return false;
  try {
    return verifier.verify({
      sender,
      openBlock: BigInt(openBlock),
      balance: BigInt(balance),
      signature,
      signers: signerList,
    });
  } catch {
    return false;
  }
}

parentPort?.postMessage("ready");
parentPort?.on("message", (batch: Batch) => {
  const verdicts = new Uint8Array(batch.checks.length);
  batch.checks.forEach((entry, i) => {
    verdicts[i] = check(entry) ? 1 : 0;
  });
  parentPort?.postMessage({ id: batch.id, verdicts });
});
