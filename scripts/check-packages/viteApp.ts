// A fresh Vite React app around the widget README's example, written as `npm create vite` would lay it out:
// index.html loading src/main.tsx, and a config with the React plugin and nothing else.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export async function writeViteApp(dir: string, main: string): Promise<void> {
  await mkdir(join(dir, "src"), { recursive: true });
  await writeFile(
    join(dir, "index.html"),
    `<!doctype html>
<html lang="en">
  <head><meta charset="UTF-8" /><title>A paid article</title></head>
  <body>
    <div id="root"></div>
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
`,
  );
  await writeFile(
    join(dir, "vite.config.js"),
    `import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({ plugins: [react()] });
`,
  );
  await writeFile(join(dir, "src", "main.tsx"), main);
}
