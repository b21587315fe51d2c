import base from './jest.config.js';

/** The end-to-end suite (`npm run test:e2e`): real processes, real broker, headless Chromium. */
export default {
  ...base,
  testMatch: ['<rootDir>/e2e/**/*.e2e.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.cache/'],
  testTimeout: 120_000,
  maxWorkers: 1,
};
