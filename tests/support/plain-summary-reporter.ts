import type { Reporter, TestModule } from 'vitest/node';

// One plain closing line, `N passed, N failed` (`, N skipped` when any), that CI
// tooling reads whatever the test runner; vitest's own summary stays above it.
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      const tests = [...module.children.allTests()];
      // A file that failed to load has no tests to count; it is a failure all the same.
      if (tests.length === 0 && module.state() === 'failed') counts.failed++;
      for (const test of tests) {
        const state = test.result().state;
        if (state === 'passed') counts.passed++;
        else if (state === 'failed') counts.failed++;
        else counts.skipped++;
      }
    }
    const skipped = counts.skipped > 0 ? `, ${counts.skipped} skipped` : '';
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed${skipped}\n`);
  }
}
