import type { DebugProtocol } from '@vscode/debugprotocol';

/** The `mas-trajectory` launch configuration (package.json contributes.debuggers). */
export interface TrajectoryLaunchArgs extends DebugProtocol.LaunchRequestArguments {
    /** The run directory (runs/<name>). */
    runDir: string;
    /** Step to open; default: the first recorded step. */
    step?: number;
    /** Rollout within the step; default 0. */
    rollout?: number;
    /** The .mas file for breakpoints; default: the file the run was compiled from (run.json spec.source.file). */
    program?: string;
    /** Credit method shown and used by `credit` in conditions; default: the run's training estimator. */
    method?: string;
    stopOnEntry?: boolean;
}

/** A whole launch.json entry of the `mas-trajectory` debugger. */
export interface TrajectoryLaunchConfig extends TrajectoryLaunchArgs {
    type: 'mas-trajectory';
    request: 'launch';
    name: string;
}

/**
 * The launch configuration that steps through one rollout of a run (client/src/debug/rollout-debug.ts); its name says
 * which, so the entries it saves in launch.json are told apart in Run and Debug.
 */
export function rolloutLaunchConfig(
    runDir: string,
    name: string,
    step?: number,
    rollout?: number,
): TrajectoryLaunchConfig {
    return {
        type: 'mas-trajectory',
        request: 'launch',
        name: `Debug ${name}${step === undefined ? '' : ` · step ${step}`}${rollout === undefined ? '' : ` · rollout ${rollout}`}`,
        runDir,
        ...(step === undefined ? {} : { step }),
        ...(rollout === undefined ? {} : { rollout }),
        stopOnEntry: true,
    };
}

const index = (v: unknown) => v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0);

/** Launch arguments come from a user's launch.json: checked, with a message that says what to fix. */
export function checkLaunchArgs(raw: DebugProtocol.LaunchRequestArguments): TrajectoryLaunchArgs {
    const args = raw as Record<string, unknown>;
    if (typeof args['runDir'] !== 'string' || args['runDir'].length === 0) {
        throw new Error(
            'The launch configuration needs "runDir": the run directory to step through (e.g. "${workspaceFolder}/runs/my-run").',
        );
    }
    if (!index(args['step']) || !index(args['rollout']))
        throw new Error('"step" and "rollout" must be whole numbers ≥ 0.');
    for (const key of ['program', 'method'] as const) {
        if (args[key] !== undefined && typeof args[key] !== 'string') throw new Error(`"${key}" must be a string.`);
    }
    return raw as TrajectoryLaunchArgs;
}
