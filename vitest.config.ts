import { defineConfig } from 'vitest/config';

// One master key for the whole suite (services/secret-box.ts): the global setup, every test file and
// every CLI or server a test starts share the databases (the PGlite template, or DATABASE_URL), so
// they must seal and hash ID numbers and phones under one key, as the processes of one installation
// must; without it each fresh JINGZHUN_DATA_DIR would generate a key of its own and be refused.
// Set here (not only in `env`) so that the global setup, in this process, uses it too.
process.env.JINGZHUN_SECRET_KEY ??= '6a7a2d746573742d6b65792d6e6f742d666f722d70726f64756374696f6e2121';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // Servers started by tests (`jingzhun serve`) never run the scheduled monitoring scan.
    env: { JINGZHUN_MONITOR_SCAN: 'off', JINGZHUN_SECRET_KEY: process.env.JINGZHUN_SECRET_KEY },
  },
});
