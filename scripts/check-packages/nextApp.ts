// A minimal Next.js App Router app around the widget README's example: the README's blocks that start with a
// `// app/<file>` line are written to that file, next to the root layout and the tsconfig `create-next-app` would
// write (strict). Nothing turns server rendering off.
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";

/** The README blocks that are files of a Next.js app: `// app/page.tsx` on their first line names the file. */
export function nextAppFiles(blocks: readonly string[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const block of blocks) {
    const path = block.match(/^\/\/ (app\/[\w./-]+\.tsx)\b/)?.[1];
    if (path) files.set(path, block);
  }
  return files;
}

export async function writeNextApp(dir: string, files: ReadonlyMap<string, string>): Promise<void> {
  const all = new Map(files);
  // The layout every App Router app has; the empty icon keeps the browser from asking for a /favicon.ico (a 404).
  all.set(
    "app/layout.tsx",
    `import type { Metadata } from "next";
import type { ReactNode } from "react";

export const metadata: Metadata = { title: "A paid article", icons: "data:," };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
`,
  );
  for (const [path, content] of all) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  const tsconfig = {
    compilerOptions: {
      target: "ES2022",
      lib: ["dom", "dom.iterable", "esnext"],
      strict: true,
      skipLibCheck: true,
      noEmit: true,
      module: "esnext",
      moduleResolution: "bundler",
      resolveJsonModule: true,
      isolatedModules: true,
      jsx: "react-jsx",
      incremental: true,
      plugins: [{ name: "next" }],
    },
    include: ["next-env.d.ts", "**/*.ts", "**/*.tsx", ".next/types/**/*.ts"],
    exclude: ["node_modules"],
  };
  await writeFile(join(dir, "tsconfig.json"), `${JSON.stringify(tsconfig, null, 2)}\n`);
}
