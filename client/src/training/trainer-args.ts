/**
 * The trainer's command lines as argument arrays (never a shell string: file and folder names reach Python
 * byte-identical, whatever quotes, `;` or `$()` they hold) and the environment they run in.
 */
import * as path from 'node:path';

export const TRAINER_MODULE = 'mas_trainer';

export interface RunArgsInput {
    specFile: string;
    runDir: string;
    resume?: boolean;
}

/** `-m mas_trainer run --spec FILE --run-dir DIR [--resume]`; paths are made absolute so cwd never matters. */
export function trainerRunArgs(input: RunArgsInput): string[] {
    // `--spec=` form: a path that starts with `-` is then never read as an option by argparse.
    const args = ['-m', TRAINER_MODULE, 'run', `--spec=${path.resolve(input.specFile)}`, `--run-dir=${path.resolve(input.runDir)}`];
    if (input.resume) args.push('--resume');
    return args;
}

export function checkEnvArgs(): string[] {
    return ['-m', TRAINER_MODULE, 'check-env'];
}

/**
 * The trainer's environment: the caller's, with the trainer sources shipped in the extension first on
 * PYTHONPATH (so any interpreter with torch can run them) and unbuffered output (so process.log is current
 * when the process dies).
 */
export function trainerEnv(base: NodeJS.ProcessEnv, trainerRoot: string): NodeJS.ProcessEnv {
    const existing = base['PYTHONPATH'];
    return {
        ...base,
        PYTHONPATH: existing ? `${trainerRoot}${path.delimiter}${existing}` : trainerRoot,
        PYTHONUNBUFFERED: '1',
        PYTHONIOENCODING: 'utf-8',
    };
}
