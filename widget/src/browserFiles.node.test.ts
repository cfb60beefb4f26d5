// The size budget of what a reader downloads: the script tag and the payment worker as they ship in dist/browser/,
// each within its gzip budget (bench/sizes.ts: the same measure `npm run bench:bundle` reports). The files are built
// first when missing or older than their sources, so the check is of the code in the tree. gzip at a fixed level is
// deterministic: the same sources give the same figure on any machine, and nothing here depends on timing.
import assert from "node:assert/strict";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { before, it } from "node:test";
import { fileURLToPath } from "node:url";
import { build } from "vite";
import { browserFileBudgets, gzipSize, kb } from "../bench/sizes.ts";

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
  const built = await Promise.all(
    browserFileBudgets.map(({ file }) =>
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

for (const { name, file, gzipKb } of browserFileBudgets) {
  it(`the ${name} (dist/${file}) is at most ${gzipKb} kB gzip`, async () => {
    const size = gzipSize(await readFile(`${dist}${file}`));
    const budget = gzipKb * 1000;
    assert.ok(
      size <= budget,
      `the ${name} (dist/${file}) is ${kb(size)} gzip (${size} bytes), over its budget of ${gzipKb} kB gzip ` +
        `by ${kb(size - budget)}: npm run bench:bundle -w widget breaks it down`,
    );
  });
}
