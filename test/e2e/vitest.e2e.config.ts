import { defineConfig } from 'vitest/config';

/** `npm run test:e2e` (via scripts/test-e2e.mjs): the installed VSIX in code-server + Chromium, one file at a time. */
export default defineConfig({
    test: {
        root: '.',
        // The packaged VSIX contents, and the scenarios in a real VS Code.
        include: ['test/build/vsix*.test.ts', 'test/e2e/**/*.e2e.test.ts'],
        fileParallelism: false,
        testTimeout: 120_000,
        hookTimeout: 240_000,
        reporters: ['default'],
    },
});
