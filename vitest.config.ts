import { defineConfig } from 'vitest/config';

export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        // test/build/vsix*.test.ts checks a freshly packaged VSIX: run by the e2e suite (scripts/test-e2e.mjs).
        exclude: ['test/fuzz/**', 'test/e2e/**', 'test/build/vsix*.test.ts', 'node_modules/**'],
        testTimeout: 60_000,
    },
});
