import fs from 'node:fs';
import os from 'node:os';
import { defineConfig, type ViteUserConfig } from 'vitest/config';
import { isAnswering, TEST_SERVICES, type TestService } from './test/test-services.ts';

const CHROMIUM = '/usr/bin/chromium';

/**
 * Suites that prove the HTTP and WebSocket edge (validation, limits, tokens, rate limits, logs):
 * each request is decided before any dialect-specific SQL runs, so the database under them does
 * not change what they prove. They run on SQLite only; every other `*.db.test.ts` runs on each.
 */
const EDGE_SUITES = [
  'apps/server/src/http/http-edge.db.test.ts',
  'apps/server/src/realtime/gateway-bounds.db.test.ts',
  'apps/server/src/realtime/gateway-limits.db.test.ts',
  'test/security/abuse.db.test.ts',
  'test/security/bad-tokens.db.test.ts',
  'test/security/hostile-uploads.db.test.ts',
  'test/security/logs.db.test.ts',
];

const BENCH_SMOKE = 'bench/src/smoke.test.ts';

/**
 * `npm test`: unit tests once, then every `*.db.test.ts` once per database dialect. SQLite
 * always runs; MariaDB, PostgreSQL (and Redis, for the suites that use it) run whenever they
 * answer. Under CI=true a service that does not answer fails the run instead of being skipped.
 */
export default defineConfig(async (): Promise<ViteUserConfig> => {
  const services = Object.keys(TEST_SERVICES) as TestService[];
  const answering = await Promise.all(services.map((s) => isAnswering(s)));
  const missing = services.filter((_, i) => !answering[i]);
  const describe = (s: TestService) => `${TEST_SERVICES[s].label} at ${TEST_SERVICES[s].url}`;
  if (missing.length > 0 && process.env.CI === 'true') {
    throw new Error(
      `CI=true requires every test service, but these do not answer: ${missing.map(describe).join('; ')}`,
    );
  }
  for (const s of missing) console.warn(`[parley] skipping suites that need ${describe(s)}: not answering`);

  // The app's end-to-end suite drives Debian's Chromium; like the services, CI must have it.
  const chromium = fs.existsSync(CHROMIUM);
  if (!chromium && process.env.CI === 'true') {
    throw new Error(`CI=true requires Chromium at ${CHROMIUM} (apt-get install -y chromium)`);
  }
  if (!chromium) console.warn(`[parley] skipping the browser suite: no Chromium at ${CHROMIUM}`);

  const dialects = (['sqlite', 'mysql', 'postgres'] as const).filter((d) => d === 'sqlite' || !missing.includes(d));
  return {
    test: {
      reporters: ['default', './test/dialect-summary-reporter.ts'],
      // A worker keeps its imported modules from one test file to the next: each file builds its
      // own app and database, and importing the server afresh per file cost more than the tests.
      isolate: false,
      // Most suites wait on sockets, databases and a browser rather than the CPU: two files at a
      // time even on 2 cores (Vitest's default there is one) took the suite from ~1,050 to ~720 s.
      maxWorkers: Math.max(2, os.availableParallelism() - 1),
      testTimeout: 20_000,
      hookTimeout: 30_000,
      projects: [
        {
          extends: true as const,
          test: {
            name: 'unit',
            include: ['{apps,packages}/*/src/**/*.test.ts', 'test/**/*.test.ts', 'bench/src/**/*.test.ts'],
            exclude: ['**/*.db.test.ts', '**/node_modules/**', 'apps/app/**', BENCH_SMOKE],
          },
        },
        {
          // The bench in miniature measures rates: it runs last and alone, so no other suite
          // takes its CPU (beside one, on 2 cores under load, a phase once delivered nothing).
          extends: true as const,
          test: { name: 'bench', include: [BENCH_SMOKE], maxWorkers: 1, sequence: { groupOrder: 1 } },
        },
        {
          // The app's slices and components, on react-native-web (what the web build runs): the
          // web's side of platform files (`x.web.ts`) as Metro picks it. Jest runs the Android
          // side (`*.android.test.tsx`, apps/app/jest.config.js).
          extends: true as const,
          resolve: {
            alias: { 'react-native': 'react-native-web' },
            extensions: ['.web.ts', '.web.tsx', '.mjs', '.js', '.mts', '.ts', '.jsx', '.tsx', '.json'],
          },
          test: {
            name: 'app',
            include: ['apps/app/src/**/*.test.{ts,tsx}', 'apps/app/service-worker/**/*.test.ts'],
            exclude: ['**/*.android.test.tsx'],
            environment: 'happy-dom',
          },
        },
        ...(chromium
          ? [
              {
                extends: true as const,
                test: {
                  name: 'e2e',
                  include: ['apps/app/e2e/**/*.e2e.test.ts'],
                  globalSetup: ['apps/app/e2e/global-setup.ts'],
                  testTimeout: 60_000,
                  hookTimeout: 120_000,
                  // A page under load (two browsers and a server on 2 cores) may take a few seconds.
                  expect: { poll: { timeout: 10_000 } },
                  // Under CI, a browser test that fails is tried once more, as Playwright's own
                  // runner does: twice (of ~40 runs) a busy Chromium stopped drawing a page for
                  // minutes, and a run is all or nothing. One that passes only the second time is
                  // named in the summary as flaky (test/dialect-summary-reporter.ts), not hidden.
                  retry: process.env.CI === 'true' ? 1 : 0,
                },
              },
            ]
          : []),
        ...dialects.map((dialect) => ({
          extends: true as const,
          test: {
            name: dialect,
            include: ['apps/*/src/**/*.db.test.ts', 'test/**/*.db.test.ts'],
            exclude: dialect === 'sqlite' ? [] : EDGE_SUITES,
            env: {
              PARLEY_TEST_DIALECT: dialect,
              ...(missing.includes('redis') ? {} : { PARLEY_TEST_REDIS_URL: TEST_SERVICES.redis.url }),
            },
          },
        })),
      ],
    },
  };
});
