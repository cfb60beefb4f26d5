// Runs as its own process (global setup spawns it with Node 24): a Hardhat node on a free loopback port with USDC's
// own token (Circle's FiatToken V2.2 behind its proxy, as a real site's readers pay with) and its channel manager
// deployed, and beside them the demo token (18 decimals, permit, ERC-1363, a faucet) with a manager of its own, for
// the journey that keeps that path covered. Prints one JSON line `{ rpcUrl, deployment, demoDeployment }` and serves
// until it is sent SIGTERM. Hardhat runs here, not inside Playwright's runner, so the runner's module loader never
// has to load Hardhat.
import { deployContracts } from "@micro-raiden/contracts/deploy";
import { startTestChain } from "@micro-raiden/contracts/testing";

const chain = await startTestChain({ tokenKind: "usdc" });
const demoDeployment = await deployContracts({ rpcUrl: chain.rpcUrl, tokenKind: "demo" });
process.stdout.write(`${JSON.stringify({ rpcUrl: chain.rpcUrl, deployment: chain.deployment, demoDeployment })}\n`);
const stop = () => void chain.close().finally(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
