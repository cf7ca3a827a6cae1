/**
 * The trainer's command lines as argument arrays (never a shell string: file and folder names reach Python
 * byte-identical, whatever quotes, `;` or `$()` they hold) and the environment they run in.
 *
 * The trainer runs in isolated mode (`-I`): neither the working directory nor PYTHONPATH, PYTHON* variables or the
 * user's site-packages reach sys.path, so a workspace (or a run directory) holding `mas_trainer/`, `argparse.py`,
 * `torch/` … cannot replace the trainer or the libraries it imports. The trainer shipped with the extension is put
 * first on sys.path explicitly by a fixed bootstrap (`-I` would ignore it on PYTHONPATH), then run as
 * `python -m mas_trainer` would run it. `-u` and `-X utf8` replace PYTHONUNBUFFERED / PYTHONIOENCODING, which `-I`
 * ignores: process.log stays current when the process dies, and any text reaches it as UTF-8.
 */
import * as path from 'node:path';
import { TRAINER_BOOTSTRAP, TRAINER_ISOLATED_FLAGS, TRAINER_MODULE } from '../../../protocol/trainer-invocation.js';

export { TRAINER_BOOTSTRAP, TRAINER_MODULE } from '../../../protocol/trainer-invocation.js';

const ISOLATED_FLAGS = TRAINER_ISOLATED_FLAGS;

/** The interpreter arguments that run the trainer at `trainerRoot` (a folder holding mas_trainer/) isolated. */
export function trainerInvocation(trainerRoot: string): string[] {
    return [...ISOLATED_FLAGS, '-c', TRAINER_BOOTSTRAP, path.resolve(trainerRoot)];
}

export interface RunArgsInput {
    specFile: string;
    runDir: string;
    /** The folder holding the mas_trainer package (the extension's trainer/). */
    trainerRoot: string;
    resume?: boolean;
}

/** `<isolated bootstrap> run --spec=FILE --run-dir=DIR [--resume]`; paths are made absolute so cwd never matters. */
export function trainerRunArgs(input: RunArgsInput): string[] {
    // `--spec=` form: a path that starts with `-` is then never read as an option by argparse.
    const args = [
        ...trainerInvocation(input.trainerRoot),
        'run',
        `--spec=${path.resolve(input.specFile)}`,
        `--run-dir=${path.resolve(input.runDir)}`,
    ];
    if (input.resume) args.push('--resume');
    return args;
}

export interface ExportArgsInput {
    runDir: string;
    out: string;
    trainerRoot: string;
    /** The checkpoint's step; the newest complete one when left out. */
    step?: number;
    /** Replace the agents' folders in a non-empty `out`. */
    force?: boolean;
}

/** `<isolated bootstrap> export --out=DIR [--step=N] [--force] -- RUN_DIR` (`--`: a run directory named `-x` stays one). */
export function trainerExportArgs(input: ExportArgsInput): string[] {
    const args = [...trainerInvocation(input.trainerRoot), 'export', `--out=${path.resolve(input.out)}`];
    if (input.step !== undefined) args.push(`--step=${input.step}`);
    if (input.force) args.push('--force');
    return [...args, '--', path.resolve(input.runDir)];
}

export interface RescoreArgsInput {
    trainerRoot: string;
    runDirs: readonly string[];
    /** `A..B`, `A..`, `..B` or `N`; every recorded step when left out. */
    steps?: string;
}

/** `<isolated bootstrap> rescore --spec=- [--steps=A..B] -- RUN_DIR...`: the RunSpec comes on stdin (no temp file). */
export function trainerRescoreArgs(input: RescoreArgsInput): string[] {
    const args = [...trainerInvocation(input.trainerRoot), 'rescore', '--spec=-'];
    if (input.steps !== undefined) args.push(`--steps=${input.steps}`);
    return [...args, '--', ...input.runDirs.map((dir) => path.resolve(dir))];
}

export function checkEnvArgs(trainerRoot: string): string[] {
    return [...trainerInvocation(trainerRoot), 'check-env'];
}

/**
 * mas_trainer's own arguments in a recorded trainer command line (launch.json), or undefined when it is not one:
 * the isolated form above, or `-m mas_trainer …` as launched by earlier versions (still re-attached to).
 */
export function trainerSubcommand(args: readonly string[]): string[] | undefined {
    if (args[0] === '-m' && args[1] === TRAINER_MODULE) return args.slice(2);
    const prefix = ISOLATED_FLAGS.length;
    const isolated =
        ISOLATED_FLAGS.every((flag, i) => args[i] === flag) &&
        args[prefix] === '-c' &&
        args[prefix + 1] === TRAINER_BOOTSTRAP;
    return isolated && args.length > prefix + 2 ? args.slice(prefix + 3) : undefined;
}

/** The trainer's environment: the caller's (isolated mode ignores its PYTHON* variables; CUDA_*, HF_* … apply). */
export function trainerEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    return { ...base };
}
