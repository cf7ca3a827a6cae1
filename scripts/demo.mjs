// `npm run demo`: the main job on a built-in CPU example, from a fresh clone. Sets itself up, checks every
// example, compiles the lazy team (two workers each produce half the answer, a third agent the reward ignores)
// and — when the trainer is installed — trains it on the CPU until the team succeeds (about a minute on 2 cores).
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { ensureNodeModules, ensureTrainerVenv, npmCommand, runOrExit, venvPython } from './lib.mjs';

const EXAMPLE = 'examples/lazy-team/lazy-team.mas';
const SPEC = 'runs/demo-lazy-team.spec.json';
const RUN_DIR = 'runs/demo-lazy-team';
/**
 * Steps to 90 % success with the example's `shapley` credit: 50, 46 and 58 for seeds 1–3 (with `outcome`: 77, 72, 74;
 * trainer/bench/learn_lazy_team.py). The example's `stop_when: success >= 0.95 for 10 steps` ends a full run near
 * step 91 (seed 1, CPU); the demo stops before that, at 70 (`stopped`, resumable), when the credit already separates.
 */
const DEMO_STEPS = 70;
/** Steps at the end of the run whose recorded credit the summary averages. */
const SUMMARY_STEPS = 10;

/**
 * Each agent's share of the absolute credit per estimator over the trajectory files of the given steps (a decision's
 * credit goes to its turn's agent): who the estimator says earned the reward, whatever its sign convention.
 */
function creditPerAgent(runDir, steps) {
    const sums = new Map(); // "method\0agent" -> [sum, count]
    for (const step of steps) {
        const file = `${runDir}/trajectories/${step}.jsonl`;
        if (!existsSync(file)) continue;
        for (const line of readFileSync(file, 'utf8').split('\n')) {
            if (!line.trim()) continue;
            const record = JSON.parse(line);
            for (const [method, credit] of Object.entries(record.credit ?? {})) {
                credit.forEach((value, j) => {
                    const agent = record.turns[record.decision_turns[j]]?.agent;
                    const key = `${method}\0${agent}`;
                    const [sum, count] = sums.get(key) ?? [0, 0];
                    sums.set(key, [sum + Math.abs(value), count + 1]);
                });
            }
        }
    }
    const table = new Map(); // method -> Map(agent -> share of the absolute credit)
    for (const [key, [sum]] of sums) {
        const [method, agent] = key.split('\0');
        if (!table.has(method)) table.set(method, new Map());
        table.get(method).set(agent, sum);
    }
    for (const agents of table.values()) {
        const total = [...agents.values()].reduce((a, b) => a + b, 0);
        for (const [agent, sum] of agents) agents.set(agent, total > 0 ? sum / total : 0);
    }
    return table;
}

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
    // A short CPU run; the run directory is the demo's own, so a rerun starts it afresh.
    rmSync(RUN_DIR, { recursive: true, force: true });
    runOrExit(
        venvPython,
        ['-m', 'mas_trainer', 'run', '--spec', SPEC, '--run-dir', RUN_DIR, '--max-steps', String(DEMO_STEPS)],
        {
            env: { ...process.env, PYTHONPATH: 'trainer' },
        },
    );
    const metrics = readFileSync(`${RUN_DIR}/metrics.jsonl`, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line));
    const first = metrics[0];
    const last = metrics[metrics.length - 1];
    const success = (m) => (typeof m?.success === 'number' ? m.success.toFixed(2) : 'n/a');
    console.log(
        `\ndemo: ${metrics.length} steps, success ${success(first)} at step ${first?.step} -> ${success(last)} at step ${last?.step}`,
    );
    const run = JSON.parse(readFileSync(`${RUN_DIR}/run.json`, 'utf8'));
    if (typeof run.stopped_early === 'string') console.log(`demo: stopped early: ${run.stopped_early}`);
    const lastSteps = metrics.slice(-SUMMARY_STEPS).map((m) => m.step);
    console.log(
        `demo: each agent's share of |credit| over steps ${lastSteps[0]}–${lastSteps.at(-1)} (the reward ignores "lazy"):`,
    );
    for (const [method, agents] of creditPerAgent(RUN_DIR, lastSteps)) {
        const cells = [...agents]
            .map(([agent, share]) => `${agent} ${(100 * share).toFixed(0).padStart(3)} %`)
            .join('  ');
        console.log(`  ${method.padEnd(17)} ${cells}`);
    }
    console.log(
        `demo: run directory ${RUN_DIR} (open it in VS Code with "MAS: Open Run…" to see the dashboard and trajectories)`,
    );
} else {
    console.log('\ndemo: the trainer is not installed yet, so the demo stops at the compiled spec.');
}
