import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // The run's own temp folder (TMPDIR), checked empty at the end: tests remove what they create.
    globalSetup: ['test/helpers/temp-run.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/main/**/*.test.ts', 'test/renderer/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/helpers/no-unhandled.ts', 'test/helpers/temp-file.ts'],
          testTimeout: 20_000,
          // electron-store imports electron: inline it so the shell tests' mocked electron applies
          // (the real package would try to download its binary).
          server: { deps: { inline: ['electron-store'] } },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/helpers/no-unhandled.ts', 'test/helpers/temp-file.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
