// The size budget of what a reader downloads: the script tag's first script, everything the tag can load (the first
// script and its widget chunks) and the payment worker as they ship in dist/browser/, each within its gzip budget (bench/sizes.ts: the same measure `npm run bench:bundle` reports). The files are built
// first when missing or older than their sources, so the check is of the code in the tree. gzip at a fixed level is
// deterministic: the same sources give the same figure on any machine, and nothing here depends on timing.
import assert from "node:assert/strict";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { before, it } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { browserFileBudgets, kb, measureFiles } from "../bench/sizes.ts";

const repository = fileURLToPath(new URL("../../", import.meta.url));
const dist = fileURLToPath(new URL("../dist/", import.meta.url));

/** The newest modification time of what the browser files are built from: sources, build config, dependencies. */
async function newestInput(): Promise<number> {
  const files = ["vite.config.ts", "package-lock.json"].map((file) => join(repository, file));
  for (const dir of ["widget/src", "web-client/src"]) {
    for (const entry of await readdir(join(repository, dir), { withFileTypes: true, recursive: true })) {
      if (entry.isFile() && /\.tsx?$/.test(entry.name) && !/\.test(-helper)?\.tsx?$/.test(entry.name)) {
        files.push(join(entry.parentPath, entry.name));
      }
    }
  }
  return Math.max(...(await Promise.all(files.map(async (file) => (await stat(file)).mtimeMs))));
}

before(async () => {
  // The script and the worker; the script's chunks are built with it.
  const built = await Promise.all(
    ["browser/paywall.js", "browser/micro-raiden-sw.js"].map((file) =>
      stat(`${dist}${file}`).then(
        (s) => s.mtimeMs,
        () => 0,
      ),
    ),
  );
  if (Math.min(...built) > (await newestInput())) return;
  // What `npm run build:browser -w widget` runs.
  for (const mode of ["paywall", "sw"]) {
    await build({ configFile: join(repository, "vite.config.ts"), mode, logLevel: "warn" });
  }
});

for (const { name, files: patterns, gzipKb } of browserFileBudgets) {
  it(`the ${name} (dist/${patterns.join(", ")}) is at most ${gzipKb} kB gzip`, async () => {
    const { files, size } = await measureFiles(dist, patterns);
    assert.ok(files.length >= patterns.length, `the ${name}: no file for one of ${patterns.join(", ")}`);
    const budget = gzipKb * 1000;
    assert.ok(
      size.gzip <= budget,
      `the ${name} (dist/${files.join(", ")}) is ${kb(size.gzip)} gzip (${size.gzip} bytes), over its budget of ` +
        `${gzipKb} kB gzip by ${kb(size.gzip - budget)}: npm run bench:bundle -w widget breaks it down`,
    );
  });
}
