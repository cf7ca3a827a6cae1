/**
 * "MAS: Set Up Trainer Environment" without the editor: the steps that turn a base Python into an environment the
 * trainer runs in — a venv, then pip installing the trainer from the sources the extension ships
 * (`<extension>/trainer`, its pyproject.toml) with its dependencies — and running them in order, stopping at the first
 * failure with the step named. The command (env-setup-command.ts) adds the pickers, progress and the setting.
 */
import { environmentPython } from './interpreter-discovery.js';

/** PyTorch's CPU-only wheels: a few hundred MB instead of the CUDA build's several GB on Linux. */
export const TORCH_CPU_INDEX = 'https://download.pytorch.org/whl/cpu';

export interface SetupPlan {
    /** The interpreter that creates the venv (`python3`, a conda or pyenv Python…). */
    base: string;
    /** The venv to create; undefined when an existing environment (the Python extension's) is used as it is. */
    venvDir?: string;
    /** The interpreter to install into when no venv is created. */
    existing?: string;
    /** The trainer sources shipped with the extension (holds pyproject.toml). */
    trainerDir: string;
    /** Install the CPU build of torch first (no CUDA download). */
    cpuOnlyTorch: boolean;
    platform: NodeJS.Platform;
}

export interface SetupStep {
    title: string;
    command: string;
    args: string[];
}

/** The interpreter the trainer will use once the plan has run. */
export function plannedPython(plan: SetupPlan): string {
    if (plan.venvDir) return environmentPython(plan.venvDir, plan.platform);
    if (plan.existing) return plan.existing;
    throw new Error('a setup plan needs a venv folder or an existing interpreter');
}

export function setupSteps(plan: SetupPlan): SetupStep[] {
    const python = plannedPython(plan);
    const pip = (...args: string[]) => [python, ['-m', 'pip', ...args, '--disable-pip-version-check']] as const;
    const steps: SetupStep[] = [];
    if (plan.venvDir)
        steps.push({
            title: 'creating the virtual environment',
            command: plan.base,
            args: ['-m', 'venv', plan.venvDir],
        });
    const [command, upgrade] = pip('install', '--upgrade', 'pip');
    steps.push({ title: 'updating pip', command, args: [...upgrade] });
    if (plan.cpuOnlyTorch) {
        const [c, a] = pip('install', 'torch', '--index-url', TORCH_CPU_INDEX);
        steps.push({ title: 'installing torch (CPU build)', command: c, args: [...a] });
    }
    // The trainer with its dependencies (torch, transformers, peft, safetensors, sympy, jsonschema…) and TensorBoard.
    const [c, a] = pip('install', `${plan.trainerDir}[tensorboard]`);
    steps.push({ title: 'installing the trainer and its dependencies', command: c, args: [...a] });
    return steps;
}

/** Runs one step; resolves to its exit code (null when killed). Output goes to the log as it comes. */
export type StepRunner = (step: SetupStep, log: (line: string) => void) => Promise<number | null>;

export type SetupOutcome = { ok: true; python: string } | { ok: false; failedStep: string; code: number | null };

/** Runs the plan's steps in order; stops at the first that fails (or is cancelled: `shouldStop`). */
export async function runSetup(
    plan: SetupPlan,
    run: StepRunner,
    log: (line: string) => void,
    onStep: (step: SetupStep, index: number, total: number) => void = () => undefined,
    shouldStop: () => boolean = () => false,
): Promise<SetupOutcome> {
    const steps = setupSteps(plan);
    for (const [index, step] of steps.entries()) {
        if (shouldStop()) return { ok: false, failedStep: `${step.title} (cancelled)`, code: null };
        onStep(step, index, steps.length);
        log(`$ ${[step.command, ...step.args].join(' ')}`);
        const code = await run(step, log);
        if (code !== 0) return { ok: false, failedStep: step.title, code };
    }
    return { ok: true, python: plannedPython(plan) };
}
