// A reader of a site made with `init` and `deploy`: tokens minted to them, and a channel to the folder's receiver on
// its deployment, ready to pay with fetchWithPayment.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { TestChain } from "@micro-raiden/contracts/testing";
import {
  type ChannelClient,
  createChannelClient,
  memoryLock,
  memoryStorage,
  openChannel,
} from "@micro-raiden/web-client";
import { readPrivateKeyFile } from "@micro-raiden/web-client/node";
import { parseDeployment } from "@micro-raiden/web-client/protocol";
import { http } from "viem";
import { privateKeyToAccount } from "viem/accounts";

export async function readerChannel(chain: TestChain, dir: string, deposit: bigint): Promise<ChannelClient> {
  const deployment = parseDeployment(JSON.parse(await readFile(join(dir, "deployment.json"), "utf8")));
  const receiver = privateKeyToAccount(await readPrivateKeyFile(join(dir, "receiver.key")));
  const reader = chain.accounts[5];
  if (!reader) throw new Error("No reader account.");
  await chain.mint(reader.address, deposit);
  const client = createChannelClient({
    account: reader,
    transport: http(chain.rpcUrl),
    storage: memoryStorage(),
    lock: memoryLock(),
  });
  await openChannel(client, {
    chainId: deployment.chainId,
    contract: deployment.channelManager,
    token: deployment.token,
    receiver: receiver.address,
    deposit,
  });
  return client;
}
