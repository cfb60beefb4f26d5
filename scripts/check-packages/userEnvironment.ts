// The environment of a user outside this repo: Node (the version running the check) on PATH, none of the repo's
// tools, none of npm's per-script variables and, above all, not the repo's "@micro-raiden/source" condition (npm
// puts it in NODE_OPTIONS for every script here), which would send the installed packages to sources they lack.
import { delimiter, dirname } from "node:path";

export function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key === "NODE_OPTIONS" || key.toLowerCase().startsWith("npm_") || key === "INIT_CWD") continue;
    env[key] = value;
  }
  const path = (process.env.PATH ?? "").split(delimiter).filter((entry) => !entry.includes("node_modules"));
  env.PATH = [dirname(process.execPath), ...path].join(delimiter);
  return { ...env, ...extra };
}
