// The fenced code blocks of a README, so the package check runs the examples users read, not copies of them.

/** The bodies of the README's fenced blocks in `language` (```ts …```), in order. */
export function readmeBlocks(markdown: string, language: string): string[] {
  const fence = new RegExp(`^\`\`\`${language}\\n([\\s\\S]*?)^\`\`\`$`, "gm");
  return [...markdown.matchAll(fence)].map((match) => match[1] ?? "");
}
