// Global setup of the e2e run: builds the widget's browser files when they are missing or older than their sources,
// starts a Hardhat node with USDC, the demo token and their channel managers deployed (its own process), the static
// content site of another origin and the receiver on USDC (its own process, CORS listing the site), builds the React
// example for them onto the site, and hands their addresses to the workers. Returns the teardown, which stops
// everything; what started before a failure is stopped too.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { HARDHAT_MNEMONIC } from "@micro-raiden/contracts/deploy";
import { toHex } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { chainScript } from "./chainScript.ts";
import { startContentSite } from "./contentSite.ts";
import type { ReceiverProcessOptions } from "./receiverProcess.ts";
import { spawnProcess } from "./spawnProcess.ts";
import { spawnReceiver } from "./spawnReceiver.ts";
import { encodeWorld, type World, worldVariable } from "./world.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url));
const browserDir = join(repository, "widget/dist/browser");
const browserFiles = {
  paywallScriptFile: join(browserDir, "paywall.js"),
  serviceWorkerFile: join(browserDir, "micro-raiden-sw.js"),
};

/** The newest modification time under `dir` (source files only). */
async function newest(dir: string): Promise<number> {
  let latest = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !/\.(ts|tsx)$/.test(entry.name) || /\.test(-helper)?\.tsx?$/.test(entry.name)) continue;
    latest = Math.max(latest, (await stat(join(entry.parentPath, entry.name))).mtimeMs);
  }
  return latest;
}

/** Runs `npm run <script> -w widget [-- args]` from the repository; throws when it fails. */
async function runWidgetScript(script: string, args: string[] = [], env: Record<string, string> = {}): Promise<void> {
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn("npm", ["run", script, "--workspace", "widget", ...(args.length ? ["--", ...args] : [])], {
      cwd: repository,
      stdio: "inherit",
      env: { ...process.env, ...env },
    });
    child.once("exit", resolve);
  });
  if (code !== 0) throw new Error(`npm run ${script} -w widget failed (${code}).`);
}

async function buildBrowserFilesWhenStale(): Promise<void> {
  const built = await Promise.all(
    Object.values(browserFiles).map((file) =>
      stat(file).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  const sources = Math.max(
    ...(await Promise.all(["widget/src", "web-client/src"].map((dir) => newest(join(repository, dir))))),
    (await stat(join(repository, "vite.config.ts"))).mtimeMs,
  );
  if (Math.min(...built) > sources) return;
  await runWidgetScript("build:browser");
}

/**
 * The React example app (widget/example/, the workspace's widget sources) built for this run's receiver and chain,
 * which are on free ports: both are build-time settings of the example, so it is built every run (about a second).
 * The content site serves it at `/static/example/`.
 */
async function buildExample(outDir: string, receiverUrl: string, rpcUrl: string): Promise<void> {
  await runWidgetScript("build:example", ["--outDir", outDir, "--emptyOutDir", "--logLevel", "warn"], {
    VITE_RECEIVER_URL: receiverUrl,
    VITE_RPC_URL: rpcUrl,
  });
}

export default async function globalSetup(): Promise<() => Promise<void>> {
  const stops: (() => Promise<unknown>)[] = [];
  const teardown = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
  };
  try {
    const dir = await mkdtemp(join(tmpdir(), "micro-raiden-e2e-"));
    stops.push(() => rm(dir, { recursive: true, force: true }));
    const siteStaticDir = join(dir, "site");
    await mkdir(siteStaticDir);

    const [, chain] = await Promise.all([
      buildBrowserFilesWhenStale(),
      spawnProcess(fileURLToPath(new URL("./chainProcess.ts", import.meta.url)), [], /^(\{.*\})$/m),
    ]);
    stops.push(() => chain.stop());
    const { rpcUrl, deployment, demoDeployment } = JSON.parse(chain.value) as Pick<
      World,
      "rpcUrl" | "deployment" | "demoDeployment"
    >;

    let receiverUrl = "";
    const site = await startContentSite({
      receiver: () => receiverUrl,
      chainScript: () => chainScript(deployment.chainId, rpcUrl),
      staticDir: siteStaticDir,
    });
    stops.push(() => site.close());

    const receiverAccount = mnemonicToAccount(HARDHAT_MNEMONIC, { addressIndex: 2 });
    const receiverKey = receiverAccount.getHdKey().privateKey;
    if (!receiverKey) throw new Error("No key for the receiver's account.");
    const operatorToken = randomBytes(24).toString("hex");
    const options: ReceiverProcessOptions = {
      rpcUrl,
      deployment,
      privateKey: toHex(receiverKey),
      dbPath: join(dir, "receiver.db"),
      port: 0,
      operatorToken,
      corsOrigins: [site.url],
      ...browserFiles,
    };
    const receiver = await spawnReceiver(options);
    stops.push(() => receiver.stop());
    receiverUrl = receiver.value;
    await buildExample(join(siteStaticDir, "example"), receiverUrl, rpcUrl);

    const world: World = {
      rpcUrl,
      deployment,
      demoDeployment,
      receiverUrl,
      receiverAddress: receiverAccount.address,
      operatorToken,
      siteUrl: site.url,
      siteStaticDir,
      ...browserFiles,
      dir,
    };
    process.env[worldVariable] = encodeWorld(world);
    return teardown;
  } catch (error) {
    await teardown();
    throw error;
  }
}
