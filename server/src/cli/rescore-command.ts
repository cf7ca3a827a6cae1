import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { runRescoreProcess } from '../../../analysis/run-dir/rescore-process.js';
import type { TrainerScores } from '../../../analysis/run-dir/rescore-stream.js';
import { rescoreRun } from '../../../analysis/run-dir/rescore.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import type { RunSpec } from '../../../protocol/run-spec.js';
import { TRAINER_BOOTSTRAP, TRAINER_ISOLATED_FLAGS } from '../../../protocol/trainer-invocation.js';
import { compileFile } from '../compile/compile-file.js';
import { parseArgs, UsageError } from './args.js';
import { formatDiagnostic, toCliDiagnostic } from './format.js';
import { EXIT, type CliIo } from './io.js';
import { rescoreSummary, type RunRescore } from './rescore-summary.js';

const STEPS = /^(\d{1,15})?\.\.(\d{1,15})?$|^\d{1,15}$/;

/**
 * The interpreter: --python, else the trainer's own venv (trainer/.venv beside the bundle, as the extension finds
 * it when no setting or Python extension names one), else python3 / python on PATH.
 */
function pythonFor(flag: string | true | undefined, trainerRoot: string): string {
    if (typeof flag === 'string') return flag;
    const venv =
        process.platform === 'win32'
            ? join(trainerRoot, '.venv', 'Scripts', 'python.exe')
            : join(trainerRoot, '.venv', 'bin', 'python');
    if (existsSync(venv)) return venv;
    return process.platform === 'win32' ? 'python' : 'python3';
}

async function recordedSteps(root: string, steps: string | undefined): Promise<TrajectoryRecord[][]> {
    const service = new RunDirService();
    const index = await service.index(root);
    const [from, to] = !steps
        ? [0, Infinity]
        : steps.includes('..')
          ? steps.split('..').map((s, i) => (s === '' ? (i === 0 ? 0 : Infinity) : Number(s)))
          : [Number(steps), Number(steps)];
    const chosen = index.steps.filter((s) => s.step >= from! && s.step <= to!);
    return Promise.all(chosen.map((s) => service.step(root, s.step)));
}

/**
 * `mas rescore <run-dir>... --mas <file.mas> [--steps A..B] [--python PATH]`: compiles the workflow, scores every
 * recorded rollout with its reward through the trainer's `rescore` (its Python verifiers included), and prints a
 * summary per run: mean reward recorded → re-scored, per criterion, rank changes, verifier errors.
 */
export async function rescoreCommand(argv: readonly string[], io: CliIo): Promise<number> {
    const { positionals, flags } = parseArgs('rescore', argv, {
        flags: { '--mas': 'value', '--steps': 'value', '--python': 'value' },
    });
    const mas = flags.get('--mas');
    if (positionals.length === 0 || typeof mas !== 'string')
        throw new UsageError(
            '"mas rescore" takes run directories and the workflow, for example: mas rescore runs/team --mas team.mas',
        );
    const steps = flags.get('--steps');
    if (steps !== undefined && (typeof steps !== 'string' || !STEPS.test(steps)))
        throw new UsageError(`--steps "${String(steps)}" is not a step range; write A..B, A.., ..B or a single step.`);
    const runDirs = positionals.map((dir) => resolve(io.cwd, dir));
    const outcome = await compileFile(resolve(io.cwd, mas));
    if (!outcome.ok) {
        if ('problem' in outcome) {
            io.stderr(`mas rescore: ${outcome.problem}\n`);
            return EXIT.usage;
        }
        for (const d of outcome.diagnostics) io.stderr(`${formatDiagnostic(toCliDiagnostic(d, io.cwd))}\n`);
        io.stderr(`mas rescore: ${mas} does not compile; fix the errors above and re-score again.\n`);
        return EXIT.errors;
    }
    const spec: RunSpec = outcome.spec;
    const trainerRoot = io.trainerRoot ?? resolve(io.cwd, 'trainer');
    const python = pythonFor(flags.get('--python'), trainerRoot);
    const args = [...TRAINER_ISOLATED_FLAGS, '-c', TRAINER_BOOTSTRAP, trainerRoot, 'rescore', '--spec=-'];
    if (typeof steps === 'string') args.push(`--steps=${steps}`);
    args.push('--', ...runDirs);
    let last = -1;
    const result = await runRescoreProcess({
        python,
        args,
        env: { ...process.env },
        spec,
        onProgress: ({ done, total }) => {
            const tenth = total ? Math.floor((10 * done) / total) : 10;
            if (tenth !== last) io.stderr(`mas rescore: ${done}/${total} rollouts scored\n`);
            last = tenth;
        },
        onStderrLine: (line) => io.stderr(`${line}\n`),
    });
    if (!result.ok) {
        io.stderr(`mas rescore: ${result.cancelled ? 'cancelled' : result.message}\n`);
        return result.exitCode && result.exitCode > 0 ? result.exitCode : EXIT.errors;
    }
    const runs: RunRescore[] = [];
    for (const [i, root] of runDirs.entries()) {
        const records = await recordedSteps(root, typeof steps === 'string' ? steps : undefined);
        const own: TrainerScores = {
            ...result.scores,
            rollouts: result.scores.rollouts.filter((r) => r.run === i).map((r) => ({ ...r, run: 0 })),
        };
        const rubric = spec.rubrics.find((r) => r.name === spec.reward.rubric)!;
        const rescored = rescoreRun(records, {
            rubric,
            level: spec.reward.level,
            method: spec.train.credit.method,
            params: spec.train.credit.params,
            source: basename(mas),
            trainer: own,
        });
        runs.push({ root: positionals[i]!, records: records.flat(), scores: own, result: rescored });
    }
    io.stdout(rescoreSummary(runs, spec, result.scores.verifierErrors));
    return EXIT.ok;
}
