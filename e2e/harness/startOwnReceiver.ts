// A receiver of a spec's own, for the journeys that change the receiver itself (a restart, a sponsored open, another
// token): its own process, account and store, on the shared chain, serving the same routes and the widget's files.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { HARDHAT_MNEMONIC } from "@micro-raiden/contracts/deploy";
import { toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import type { ReceiverProcessOptions } from "./receiverProcess.ts";
import { spawnReceiver } from "./spawnReceiver.ts";
import type { World } from "./world.ts";

/**
 * Starts a receiver with Hardhat's development account `addressIndex` (3 and up: 2 is the shared receiver's; each
 * spec its own, so no two receivers send transactions from one account). `restart()` kills it as a crash would and
 * starts it again on the same port with the same store. `deployment`: the manager and token it is paid through
 * (default the journeys' USDC one).
 */
export async function startOwnReceiver(
  world: World,
  addressIndex: number,
  extra: Partial<Pick<ReceiverProcessOptions, "sponsorMinDeposit" | "deployment">> = {},
) {
  const account = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex });
  const key = account.getHdKey().privateKey;
  if (!key) throw new Error(`No key for account ${addressIndex}.`);
  const options: ReceiverProcessOptions = {
    rpcUrl: world.rpcUrl,
    deployment: world.deployment,
    privateKey: toHex(key),
    dbPath: join(world.dir, `receiver-${addressIndex}-${randomBytes(4).toString("hex")}.db`),
    port: 0,
    operatorToken: world.operatorToken,
    corsOrigins: [],
    paywallScriptFile: world.paywallScriptFile,
    serviceWorkerFile: world.serviceWorkerFile,
    ...extra,
  };
  let running = await spawnReceiver(options);
  const url = running.value;
  return {
    url,
    address: account.address,
    async restart(): Promise<void> {
      await running.kill();
      running = await spawnReceiver({ ...options, port: Number(new URL(url).port) });
    },
    stop: () => running.stop(),
  };
}
