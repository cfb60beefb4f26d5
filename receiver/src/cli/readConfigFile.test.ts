import assert from "node:assert/strict";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { cliOptionSpecs } from "./cliOptions.ts";
import { readConfigFile } from "./readConfigFile.ts";

async function configFile(json: string): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "config-")), "micro-raiden.json");
  await writeFile(path, json);
  return path;
}

describe("readConfigFile", () => {
  it("takes every option by its flag's name: paths relative to the file, numbers, lists and switches", async () => {
    const path = await configFile(
      JSON.stringify({
        "rpc-url": "http://127.0.0.1:8545",
        "private-key-file": "receiver.key",
        db: "/var/lib/receiver.db",
        port: 3001,
        "cors-origin": "https://blog.example",
        "no-exact": true,
        "sponsor-min-deposit": "1000000",
      }),
    );
    assert.deepEqual(await readConfigFile(path, cliOptionSpecs), {
      "rpc-url": "http://127.0.0.1:8545",
      "private-key-file": join(path, "..", "receiver.key"),
      db: "/var/lib/receiver.db",
      port: "3001",
      "cors-origin": ["https://blog.example"],
      "no-exact": true,
      "sponsor-min-deposit": "1000000",
    });
  });

  for (const [json, message] of [
    ['{"pirce": "1000"}', /"pirce" is not an option/],
    ['{"config": "other.json"}', /"config" is not an option/],
    ['{"price": 1.5}', /"price" must be a string/],
    ['{"cors-origin": [1.5]}', /"cors-origin" must be a string or a list of strings/],
    ['{"no-exact": "yes"}', /"no-exact" must be true or false/],
    ['["rpc-url"]', /a JSON object/],
    ["{not json", /micro-raiden\.json: /],
  ] as const) {
    it(`refuses ${json}`, async () => {
      await assert.rejects(readConfigFile(await configFile(json), cliOptionSpecs), message);
    });
  }
});
