import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
    // Servers started by tests (`jingzhun serve`) never run the scheduled monitoring scan.
    env: { JINGZHUN_MONITOR_SCAN: 'off' },
  },
});
