// What global setup started, as the specs see it: it travels to the workers in one environment variable.
import { type Deployment, parseDeployment } from "@micro-raiden/web-client/protocol";

export type World = {
  rpcUrl: string;
  /** USDC's own token (FiatToken V2.2, 6 decimals) and its channel manager: what every journey pays with. */
  deployment: Deployment;
  /** The demo token (18 decimals, permit, ERC-1363, a faucet) and a manager of its own, on the same chain. */
  demoDeployment: Deployment;
  /** The receiver every spec shares (demo routes + the magazine), e.g. `http://127.0.0.1:41234`. */
  receiverUrl: string;
  /** The shared receiver's address (the channels' receiver). */
  receiverAddress: `0x${string}`;
  operatorToken: string;
  /** The static content site of another origin, e.g. `http://localhost:40001`. */
  siteUrl: string;
  /** What the content site serves under `/static/`. */
  siteStaticDir: string;
  /** The widget's built script tag and Service Worker. */
  paywallScriptFile: string;
  serviceWorkerFile: string;
  /** A scratch directory removed at teardown. */
  dir: string;
};

export const worldVariable = "MICRO_RAIDEN_E2E_WORLD";

type WorldJson = Omit<World, "deployment" | "demoDeployment"> & { deployment: unknown; demoDeployment: unknown };

export function encodeWorld(world: World): string {
  return JSON.stringify(world);
}

/** The world global setup started; throws when run without it. */
export function readWorld(): World {
  const json = process.env[worldVariable];
  if (!json) throw new Error(`${worldVariable} is not set: run the specs with the e2e Playwright config.`);
  const world = JSON.parse(json) as WorldJson;
  return {
    ...world,
    deployment: parseDeployment(world.deployment),
    demoDeployment: parseDeployment(world.demoDeployment),
  };
}
