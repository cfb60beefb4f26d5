// A Vitest reporter that ends the run with node's test-runner summary lines (`ℹ tests N`, `ℹ pass N`,
// `ℹ fail N`), which the repository's test runner and CI read; Vitest's own summary has another shape.
import type { Reporter, TestModule } from "vitest/node";

export default class NodeStyleSummary implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let pass = 0;
    let fail = 0;
    let skipped = 0;
    for (const module of testModules) {
      // A file that failed to load has no tests to count, and still failed.
      if (module.state() === "failed" && [...module.children.allTests()].length === 0) fail += 1;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") pass += 1;
        else if (state === "failed") fail += 1;
        else skipped += 1;
      }
    }
    fail += unhandledErrors.length;
    const lines = [`ℹ tests ${pass + fail + skipped}`, `ℹ pass ${pass}`, `ℹ fail ${fail}`, `ℹ skipped ${skipped}`];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
