import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints how many tests passed per project (unit, sqlite, mysql, postgres), the tests that
 * passed only when tried again (flaky: a defect to look into), then one plain closing line,
 * `Tests: N passed, N failed, N skipped`, that any CI log reader understands.
 */
export default class DialectSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const byProject = new Map<string, Record<'passed' | 'failed' | 'skipped', number>>();
    const flaky: string[] = [];
    for (const module of testModules) {
      const counts = byProject.get(module.project.name) ?? { passed: 0, failed: 0, skipped: 0 };
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed' || state === 'failed' || state === 'skipped') counts[state] += 1;
        if (test.diagnostic()?.flaky)
          flaky.push(`  ${module.project.name} ${module.relativeModuleId} > ${test.fullName}`);
      }
      // A file that failed to load, or whose hooks failed, may show no failed test (its tests
      // count as skipped): it must still count as a failure.
      const failedTests = [...module.children.allTests('failed')].length;
      if (module.state() === 'failed' && failedTests === 0) counts.failed += 1;
      byProject.set(module.project.name, counts);
    }
    const total = { passed: 0, failed: 0, skipped: 0 };
    console.log('\nTests per project:');
    for (const [name, c] of [...byProject].sort(([a], [b]) => a.localeCompare(b))) {
      console.log(`  ${name.padEnd(10)} ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
    }
    if (flaky.length > 0) console.log(`Passed only when tried again (flaky):\n${flaky.join('\n')}`);
    console.log(`Tests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  }
}
