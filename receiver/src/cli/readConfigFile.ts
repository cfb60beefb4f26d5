import { readFile } from "node:fs/promises";
import { dirname, isAbsolute, resolve } from "node:path";

/** The shape of `parseArgs`' options: which names exist and which may repeat. */
export type OptionSpecs = Record<string, { type: "string" | "boolean"; multiple?: boolean }>;

/** What a config file gives: one value per option, as its flag would. */
export type ConfigValues = Record<string, string | string[] | boolean>;

/** Options naming a file or a folder: a relative path in a config file is relative to the file, not to the shell. */
const pathOptions = new Set([
  "deployment",
  "db",
  "private-key-file",
  "operator-token-file",
  "paywall-script-file",
  "service-worker-file",
]);

/** Options that never come from a config file. */
const notInConfig = new Set(["config", "help"]);

/**
 * Reads a config file (`micro-raiden-server init` writes one): a JSON object whose keys are the command's long
 * option names without `--` and whose values are what the flag would take (a number may be written as one; a
 * repeatable option takes a list; a switch such as `no-exact` takes true or false). Every option the command line has can be set here, and a flag given on the
 * command line wins. Throws with the file and key on anything else.
 */
export async function readConfigFile(path: string, specs: OptionSpecs): Promise<ConfigValues> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new Error(`${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new Error(`${path}: a config file is a JSON object of option names and values`);
  }
  const values: ConfigValues = {};
  for (const [key, raw] of Object.entries(json)) {
    const spec = specs[key];
    if (!spec || notInConfig.has(key)) {
      throw new Error(`${path}: "${key}" is not an option of this command (see --help)`);
    }
    if (spec.type === "boolean") {
      if (typeof raw !== "boolean") throw new Error(`${path}: "${key}" must be true or false`);
      if (raw) values[key] = true;
      continue;
    }
    const text = (value: unknown): string => {
      if (typeof value === "string") return value;
      if (typeof value === "number" && Number.isSafeInteger(value)) return String(value);
      throw new Error(`${path}: "${key}" must be a string${spec.multiple ? " or a list of strings" : ""}`);
    };
    const inPlace = (value: string) =>
      pathOptions.has(key) && !isAbsolute(value) ? resolve(dirname(path), value) : value;
    values[key] = spec.multiple
      ? (Array.isArray(raw) ? raw : [raw]).map((item) => inPlace(text(item)))
      : inPlace(text(raw));
  }
  return values;
}
