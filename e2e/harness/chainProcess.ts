// Runs as its own process (global setup spawns it with Node 24): a Hardhat node on a free loopback port with the
// contracts deployed. Prints one JSON line `{ rpcUrl, deployment }` and serves until it is sent SIGTERM. Hardhat runs
// here, not inside Playwright's runner, so the runner's module loader never has to load Hardhat.
import { startTestChain } from "@micro-raiden/contracts/testing";

const chain = await startTestChain();
process.stdout.write(`${JSON.stringify({ rpcUrl: chain.rpcUrl, deployment: chain.deployment })}\n`);
const stop = () => void chain.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
