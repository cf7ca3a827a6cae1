// `npm run demo`: the main job on a built-in CPU example, from a fresh clone. Sets itself up, checks every
// example, compiles the signalling game and — when the trainer is installed — trains it briefly on the CPU.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureNodeModules, ensureTrainerVenv, npmCommand, runOrExit, venvPython } from './lib.mjs';

const EXAMPLE = 'examples/signal/signal.mas';
const SPEC = 'runs/demo-signal.spec.json';
const RUN_DIR = 'runs/demo-signal';

ensureNodeModules();
runOrExit(npmCommand, ['run', 'build']);
const haveTrainer = existsSync('trainer/pyproject.toml') && (existsSync(venvPython) || ensureTrainerVenv());

const mas = (args) => runOrExit(process.execPath, ['out/cli.cjs', ...args]);
mas(['check', 'examples']);
mkdirSync('runs', { recursive: true });
mas(['compile', EXAMPLE, '-o', SPEC]);

const spec = JSON.parse(readFileSync(SPEC, 'utf8'));
console.log(`\nCompiled ${EXAMPLE} -> ${SPEC}`);
console.log(`  workflow: ${spec.workflow}`);
for (const key of ['agents', 'models', 'datasets']) {
    if (Array.isArray(spec[key])) console.log(`  ${key}: ${spec[key].map((x) => x.name ?? x.id).join(', ')}`);
}
if (spec.train) console.log(`  train: ${JSON.stringify(spec.train).slice(0, 200)}`);

if (haveTrainer && existsSync(venvPython)) {
    // A short CPU run (20 steps); the run directory is the demo's own, so a rerun starts it afresh.
    rmSync(RUN_DIR, { recursive: true, force: true });
    runOrExit(venvPython, ['-m', 'mas_trainer', 'run', '--spec', SPEC, '--run-dir', RUN_DIR, '--max-steps', '20'], {
        env: { ...process.env, PYTHONPATH: 'trainer' },
    });
    console.log(`\ndemo: training run written to ${RUN_DIR}`);
} else {
    console.log('\ndemo: the trainer is not installed yet, so the demo stops at the compiled spec.');
}
