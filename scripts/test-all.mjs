// `npm test`: every suite in order, each run even when an earlier one failed, then one summary line
// `N passed, M failed` (suites). Exits non-zero when any suite failed.
import { existsSync } from 'node:fs';
import { ensureNodeModules, ensureTrainerVenv, npxCommand, run, venvPython } from './lib.mjs';

// From a fresh clone `npm test` sets itself up: packages from the lockfile, and the trainer's venv.
ensureNodeModules();
if (!existsSync(venvPython)) ensureTrainerVenv();

const node = process.execPath;
const suites = [
    { name: 'generated', command: node, args: ['scripts/check-generated.mjs'] },
    { name: 'typecheck', command: npxCommand, args: ['tsc', '-b', 'tsconfig.json'] },
    { name: 'lint', command: node, args: ['scripts/lint.mjs'] },
    { name: 'build', command: node, args: ['esbuild.mjs'] },
    { name: 'unit', command: npxCommand, args: ['vitest', 'run'] },
    {
        name: 'fuzz',
        command: npxCommand,
        args: ['vitest', 'run', '--config', 'vitest.fuzz.config.ts'],
        when: () => existsSync('vitest.fuzz.config.ts'),
        skip: 'vitest.fuzz.config.ts is absent',
    },
    {
        name: 'pytest',
        command: venvPython,
        args: ['-m', 'pytest', '-q', 'trainer'],
        when: () => existsSync('trainer/pyproject.toml') && existsSync(venvPython),
        skip: 'no trainer/.venv (run `npm run setup`)',
    },
    // Packages the VSIX and tests it installed in code-server + Debian's Chromium (needs .ci/run's apt packages).
    { name: 'e2e', command: node, args: ['scripts/test-e2e.mjs'] },
];

const results = [];
for (const suite of suites) {
    if (suite.when && !suite.when()) {
        console.log(`\n--- ${suite.name}: skipped (${suite.skip})`);
        results.push({ name: suite.name, status: 'skipped' });
        continue;
    }
    console.log(`\n--- ${suite.name}`);
    const started = Date.now();
    const status = run(suite.command, suite.args);
    results.push({
        name: suite.name,
        status: status === 0 ? 'passed' : 'failed',
        seconds: (Date.now() - started) / 1000,
    });
}

console.log('\nSuites:');
for (const r of results)
    console.log(`  ${r.status.padEnd(7)} ${r.name}${r.seconds !== undefined ? ` (${r.seconds.toFixed(1)} s)` : ''}`);
const passed = results.filter((r) => r.status === 'passed').length;
const failed = results.filter((r) => r.status === 'failed').length;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
