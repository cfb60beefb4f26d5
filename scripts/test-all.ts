// Runs every check and test suite of the monorepo in dependency order and prints one summary: node's test
// runner totals and a plain `N passed, N failed` line over all suites. Exits non-zero if anything failed.
import { spawn } from "node:child_process";

type Step = { name: string; command: string; args: string[]; counts: boolean };

const steps: Step[] = [
  { name: "lint", command: "npm", args: ["run", "lint"], counts: false },
  { name: "contracts", command: "npm", args: ["test", "--workspace", "contracts"], counts: true },
  { name: "web-client", command: "npm", args: ["test", "--workspace", "web-client"], counts: true },
  { name: "receiver", command: "npm", args: ["test", "--workspace", "receiver"], counts: true },
  { name: "demo-server", command: "npm", args: ["test", "--workspace", "demo-server"], counts: true },
  // The widget's Vitest run (real Chromium) ends with node-style `ℹ pass N` lines; its Playwright node tests are
  // a second step so that each step's last summary is the whole of it.
  { name: "widget (browser)", command: "npm", args: ["run", "test:browser", "--workspace", "widget"], counts: true },
  { name: "widget (node)", command: "npm", args: ["run", "test:node", "--workspace", "widget"], counts: true },
  // The reader's journeys in real Chromium on a real chain (Playwright); fixme'd journeys count as skipped.
  { name: "e2e", command: "npm", args: ["test", "--workspace", "e2e"], counts: true },
  // Builds, packs and installs the packages outside the repo, and runs their README examples there.
  { name: "packages", command: "npm", args: ["run", "check:packages"], counts: true },
  { name: "typecheck", command: "npm", args: ["run", "typecheck"], counts: false },
];

function run(step: Step): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const forward = (stream: NodeJS.WriteStream) => (chunk: Buffer) => {
      output += chunk.toString();
      stream.write(chunk);
    };
    child.stdout.on("data", forward(process.stdout));
    child.stderr.on("data", forward(process.stderr));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

// node:test's spec reporter ends with lines like "ℹ pass 12"; take the last of each per suite.
function lastCount(output: string, label: string): number {
  const matches = [...output.matchAll(new RegExp(`^\\S*\\s*${label} (\\d+)$`, "gm"))];
  const last = matches.at(-1)?.[1];
  return last === undefined ? 0 : Number(last);
}

let passed = 0;
let failed = 0;
let skipped = 0;
const durations: string[] = [];
const failedSteps: string[] = [];
for (const step of steps) {
  console.log(`\n=== ${step.name} ===`);
  const started = performance.now();
  const { code, output } = await run(step);
  durations.push(`${step.name} ${((performance.now() - started) / 1000).toFixed(0)} s`);
  if (step.counts) {
    skipped += lastCount(output, "skipped");
    const pass = lastCount(output, "pass");
    const fail = lastCount(output, "fail") + lastCount(output, "cancelled");
    passed += pass;
    failed += fail;
    // A suite that crashed before reporting still counts as a failure.
    if (code !== 0 && fail === 0) failed += 1;
  }
  if (code !== 0) failedSteps.push(step.name);
}

console.log("\n=== summary ===");
console.log(`durations: ${durations.join(", ")}`);
if (failedSteps.length > 0) console.log(`failed steps: ${failedSteps.join(", ")}`);
console.log(`ℹ tests ${passed + failed}`);
console.log(`ℹ pass ${passed}`);
console.log(`ℹ fail ${failed}`);
if (skipped > 0) console.log(`ℹ skipped ${skipped}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 ? 1 : 0);
