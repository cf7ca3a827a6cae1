// `npm run lint` (and npm test's lint suite): every checker that keeps the style, so reviews do not have to.
// TypeScript: eslint (layering zones, rules) and prettier (120 columns). Python (trainer/): ruff's linter and
// formatter, and pyright in basic mode. `npm run format` rewrites what the formatters would change.
import { existsSync } from 'node:fs';
import { npxCommand, run, venvPython } from './lib.mjs';

const ruff = venvPython.replace(/python(\.exe)?$/, (_, exe) => `ruff${exe ?? ''}`);
const write = process.argv.includes('--write');
const prettierFiles = '**/*.{ts,mts,cts,mjs,cjs,js}';

const steps = write
    ? [
          [npxCommand, ['prettier', '--write', '--log-level', 'warn', prettierFiles]],
          [ruff, ['check', '--fix', 'trainer']],
          [ruff, ['format', 'trainer']],
      ]
    : [
          [npxCommand, ['eslint', '.']],
          [npxCommand, ['prettier', '--check', '--log-level', 'warn', prettierFiles]],
          [ruff, ['check', 'trainer']],
          [ruff, ['format', '--check', 'trainer']],
          [npxCommand, ['pyright', '--project', 'trainer/pyrightconfig.json']],
      ];

if (!existsSync(ruff)) {
    console.error(
        `lint: ${ruff} is missing; run \`npm run setup\` (it installs the trainer's dev tools into trainer/.venv).`,
    );
    process.exit(1);
}
let failed = 0;
for (const [command, args] of steps) if (run(command, args) !== 0) failed++;
if (failed > 0) {
    console.error(
        `lint: ${failed} checker(s) failed${write ? '' : '; `npm run format` fixes what the formatters report'}.`,
    );
    process.exit(1);
}
