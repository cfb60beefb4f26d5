// A Playwright reporter that ends the run with node's test-runner summary lines (`ℹ tests N`, `ℹ pass N`,
// `ℹ fail N`), which scripts/test-all.ts and CI read; Playwright's own summary has another shape. A test counts once,
// by its final outcome (a flaky test that passed on retry passes); fixme and skipped tests are counted apart.
import type { FullResult, Reporter, Suite } from "@playwright/test/reporter";

export default class NodeStyleReporter implements Reporter {
  #suite: Suite | undefined;

  onBegin(_config: unknown, suite: Suite): void {
    this.#suite = suite;
  }

  onEnd(result: FullResult): void {
    let pass = 0;
    let fail = 0;
    let skipped = 0;
    for (const test of this.#suite?.allTests() ?? []) {
      const outcome = test.outcome();
      if (outcome === "expected" || outcome === "flaky") pass += 1;
      else if (outcome === "skipped") skipped += 1;
      else fail += 1;
    }
    // A run that broke before its tests (global setup, a file that does not load) still failed.
    if (result.status !== "passed" && fail === 0) fail += 1;
    const lines = [`ℹ tests ${pass + fail + skipped}`, `ℹ pass ${pass}`, `ℹ fail ${fail}`, `ℹ skipped ${skipped}`];
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
