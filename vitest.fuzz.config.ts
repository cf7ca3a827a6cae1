import { defineConfig } from 'vitest/config';

/** The mutation fuzz run (`npm run test:fuzz`): minutes, not seconds, so it is kept out of the unit run. */
export default defineConfig({
    test: {
        include: ['test/fuzz/**/*.fuzz.test.ts'],
        testTimeout: 15 * 60_000,
    },
});
