import { defineConfig } from 'vitest/config';

// Tests run on this machine's Node 20 (Lambda runs 22): keep the AWS SDK's upgrade
// notice out of every worker's output (README, Known limits).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Projects: `unit` is the fast suite (no I/O beyond memory); `integration`
// and `e2e` start DynamoDB Local, the AWS stand-in and the local API themselves;
// `package` runs `osls package` offline and checks the CloudFormation template.
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/plain-summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.ts', 'tests/aws-standin/**/*.test.ts'],
          // These tests share no global state, so one module graph for all files:
          // about 3 s instead of 16 s, most of which was re-importing per file.
          isolate: false,
          pool: 'threads',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        // The web console (console/) in Debian's headless Chromium through playwright-core, against the
        // stack the global setup starts: sign-in, every page, axe-core, screenshots under artifacts/.
        test: {
          name: 'browser',
          include: ['tests/browser/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 90_000,
          // A page waits on the API, which waits on DynamoDB Local and the stand-in: on a loaded 2-core
          // machine an answer can take seconds, so a poll waits up to 15 s (vitest's default is 1 s).
          expect: { poll: { timeout: 15_000 } },
          hookTimeout: 120_000,
          fileParallelism: false,
          // With the stack project, after the others: Chromium and a third stack with databases would
          // otherwise compete with the integration tests' timed concurrent writers.
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Whole-tree checks that run tools over the source: import boundaries (dependency-cruiser).
        test: { name: 'static', include: ['tests/static/**/*.test.ts'], testTimeout: 60_000 },
      },
      {
        // Stacks the tests start, stop, kill and restart themselves (`npm start`, same home twice).
        test: {
          name: 'stack',
          include: ['tests/stack/**/*.test.ts'],
          // Each start is a few seconds on an idle machine, and over 30 s on a busy one.
          testTimeout: 400_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          // After every other project: its java and node processes would otherwise compete with
          // DynamoDB Local under the integration tests' concurrent writers (whose retry budget is timed).
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Slow (runs `osls package`, ~10–20 s): the deployable template and zips.
        test: {
          name: 'package',
          include: ['tests/package/**/*.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
