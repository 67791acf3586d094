import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

// Nest's dependency injection needs decorator metadata, which esbuild does not emit; SWC does.
const swcPlugin = () => swc.vite({ module: { type: 'es6' } });

export default defineConfig({
  resolve: { conditions: ['source'] },
  test: {
    // The JSON report lets CI print a plain "N passed, N failed" line.
    reporters: ['default', ['json', { outputFile: '.roster/test-results.json' }]],
    projects: [
      {
        extends: true,
        plugins: [swcPlugin()],
        test: {
          name: 'unit',
          include: ['apps/**/*.spec.ts', 'libs/**/*.spec.ts'],
        },
      },
      {
        extends: true,
        plugins: [swcPlugin()],
        test: {
          name: 'e2e',
          include: ['test/**/*.e2e.spec.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 90_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
