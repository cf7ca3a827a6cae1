/**
 * `python -m mas_trainer check-env`: runs it (argument array, bounded time and output), reads its JSON and
 * turns each missing piece into a problem with a fix the user can act on.
 */
import { execFile } from 'node:child_process';
import { checkEnvArgs } from './trainer-args.js';
import { FEATURE_PACKAGES, TORCH_CUDA_INDEX } from './trainer-requirements.js';
import { assertTrusted, type TrustSource } from './trust.js';

/** What check-env prints (trainer/mas_trainer/__main__.py: check_env). */
export interface EnvReport {
    python: string;
    torch: string | null;
    cuda_available: boolean;
    gpus: { name: string; memory_mb: number }[];
    transformers?: string;
    peft?: string;
    /** Each trainer package besides torch: its version, or null when it is missing (older trainers omit it). */
    packages?: Record<string, string | null>;
    /** Optional packages (tensorboard): version or null (older trainers omit it). */
    optional?: Record<string, string | null>;
}

export type ProblemLevel = 'error' | 'warning';

export interface EnvProblem {
    level: ProblemLevel;
    message: string;
    fix: string;
    /**
     * `no-cuda`: a warning only worth showing when the workflow asks for CUDA (scratch models run on the CPU).
     * `missing-feature`: a package only some runs need is missing (FEATURE_PACKAGES says what is lost).
     */
    code?: 'no-cuda' | 'missing-feature';
}

export interface EnvCheck {
    python: string;
    /** Parsed report; undefined when the interpreter could not run check-env at all. */
    report?: EnvReport;
    problems: EnvProblem[];
    /** No error-level problem: training can start (perhaps on the CPU). */
    ok: boolean;
}

const MIN_PYTHON: [number, number] = [3, 10];

/** The JSON object on stdout (the last line that parses: a sitecustomize may print before it). */
export function parseEnvReport(stdout: string): EnvReport | undefined {
    const lines = stdout
        .split(/\r?\n/)
        .map((l) => l.trim())
        .filter((l) => l.startsWith('{'));
    for (const line of lines.reverse()) {
        let value: unknown;
        try {
            value = JSON.parse(line);
        } catch {
            continue;
        }
        if (isReport(value)) return value;
    }
    return undefined;
}

function isReport(value: unknown): value is EnvReport {
    if (typeof value !== 'object' || value === null) return false;
    const v = value as Record<string, unknown>;
    return (
        typeof v['python'] === 'string' &&
        (v['torch'] === null || typeof v['torch'] === 'string') &&
        typeof v['cuda_available'] === 'boolean' &&
        Array.isArray(v['gpus']) &&
        (v['packages'] === undefined || isPackageMap(v['packages'])) &&
        (v['optional'] === undefined || isPackageMap(v['optional']))
    );
}

function isPackageMap(value: unknown): value is Record<string, string | null> {
    return (
        typeof value === 'object' &&
        value !== null &&
        !Array.isArray(value) &&
        Object.values(value).every((v) => v === null || typeof v === 'string')
    );
}

function versionBelow(version: string, minimum: [number, number]): boolean {
    const [major, minor] = version.split('.').map((p) => Number.parseInt(p, 10));
    if (major === undefined || minor === undefined || Number.isNaN(major) || Number.isNaN(minor)) return false;
    return major < minimum[0] || (major === minimum[0] && minor < minimum[1]);
}

/** The packages the report says are missing: every null in `packages` and `optional`, or (older trainers) transformers / peft. */
function missingPackages(report: EnvReport): string[] {
    const absent = (map: Record<string, string | null> | undefined) =>
        Object.keys(map ?? {}).filter((name) => map![name] === null);
    if (report.packages) return [...absent(report.packages), ...absent(report.optional)];
    return (['transformers', 'peft'] as const).filter((name) => report[name] === undefined);
}

/** Problems of a parsed report, most blocking first. */
export function adviseReport(python: string, report: EnvReport): EnvProblem[] {
    const problems: EnvProblem[] = [];
    const pip = `"${python}" -m pip install`;
    if (versionBelow(report.python, MIN_PYTHON)) {
        problems.push({
            level: 'error',
            message: `Python ${report.python} is too old; the trainer needs ${MIN_PYTHON.join('.')} or newer.`,
            fix: 'Run "MAS: Select Python Interpreter" and pick Python 3.10+ (or set mas.trainer.pythonPath).',
        });
    }
    if (report.torch === null) {
        problems.push({
            level: 'error',
            message: `PyTorch is not installed for ${python} (the trainer runs it isolated, with -I: packages from pip install --user or PYTHONPATH are not seen).`,
            fix: `${pip} torch in the interpreter's own environment, e.g. a venv (for a GPU: ${pip} torch --index-url ${TORCH_CUDA_INDEX}, or the index pytorch.org gives for your driver), or select an interpreter that has it.`,
        });
        return problems;
    }
    const absent = missingPackages(report);
    const missing = absent.filter((name) => !Object.hasOwn(FEATURE_PACKAGES, name));
    if (missing.length > 0) {
        problems.push({
            level: 'error',
            message: `The trainer's package${missing.length > 1 ? 's' : ''} ${missing.join(', ')} ${missing.length > 1 ? 'are' : 'is'} not installed for ${python} (needed for every model, also scratch ones).`,
            fix: `${pip} ${missing.join(' ')}`,
        });
    }
    for (const name of absent.filter((n) => Object.hasOwn(FEATURE_PACKAGES, n))) {
        problems.push({
            level: 'warning',
            code: 'missing-feature',
            message: `${name} is not installed for ${python}: ${FEATURE_PACKAGES[name]!}.`,
            fix: `${pip} ${name}`,
        });
    }
    if (!report.cuda_available) {
        problems.push({
            level: 'warning',
            code: 'no-cuda',
            message: `No CUDA GPU is visible to torch ${report.torch}: training runs on the CPU (fine for scratch models, slow for real ones).`,
            fix: report.torch.includes('+cpu')
                ? `This torch is a CPU-only build: install a CUDA build (${pip} --upgrade torch --index-url ${TORCH_CUDA_INDEX}; pytorch.org lists the index for your driver) and check nvidia-smi.`
                : `Check that nvidia-smi sees the GPU and that torch was built for your driver's CUDA version (CUDA builds: ${pip} --upgrade torch --index-url ${TORCH_CUDA_INDEX}).`,
        });
    }
    return problems;
}

/** Problems when check-env itself failed: the interpreter is missing, or mas_trainer cannot be imported. */
export function adviseFailure(
    python: string,
    failure: { code?: string | number | null; stderr: string; stdout: string },
): EnvProblem[] {
    if (failure.code === 'ENOENT' || failure.code === 'EACCES') {
        return [
            {
                level: 'error',
                message: `No Python interpreter at "${python}" (${failure.code}).`,
                fix: 'Run "MAS: Select Python Interpreter" or set mas.trainer.pythonPath to a Python 3.10+ that has the trainer\'s packages (pip install torch transformers peft safetensors numpy onnx tensorboard, e.g. in a venv).',
            },
        ];
    }
    if (failure.code === 'ETIMEDOUT') {
        return [
            {
                level: 'error',
                message: `"${python} -m mas_trainer check-env" did not answer in time.`,
                fix: 'Run it in a terminal to see where it hangs (a slow CUDA driver start, a network file system).',
            },
        ];
    }
    if (/No module named .?mas_trainer/.test(failure.stderr)) {
        return [
            {
                level: 'error',
                message: `The trainer package mas_trainer cannot be imported by ${python}.`,
                fix: 'Reinstall MAS Studio (it ships the trainer) or install it with pip install -e trainer.',
            },
        ];
    }
    const lastLine = failure.stderr.trim().split(/\r?\n/).pop() ?? '';
    const detail = lastLine ? `: ${lastLine}` : '';
    if (/^(error|SyntaxError)/.test(lastLine) || /invalid syntax/.test(failure.stderr)) {
        return [
            {
                level: 'error',
                message: `${python} cannot run the trainer${detail}.`,
                fix: 'Select Python 3.10 or newer ("MAS: Select Python Interpreter").',
            },
        ];
    }
    return [
        {
            level: 'error',
            message: `check-env failed with ${python} (exit ${String(failure.code)})${detail}.`,
            fix: `Run "${python} -m mas_trainer check-env" in a terminal to see the full error.`,
        },
    ];
}

export interface RunCheckEnvOptions {
    env: NodeJS.ProcessEnv;
    /** The folder holding the mas_trainer package that check-env runs from (trainer-args.ts: trainerInvocation). */
    trainerRoot: string;
    /** Checked before the interpreter is spawned: throws UntrustedWorkspaceError. */
    trust: TrustSource;
    cwd?: string;
    timeoutMs?: number;
}

/** Runs check-env; throws only in an untrusted workspace: every other failure becomes a problem in the result. */
export async function runCheckEnv(python: string, options: RunCheckEnvOptions): Promise<EnvCheck> {
    assertTrusted(options.trust, 'Checking the trainer environment');
    return new Promise((resolve) => {
        execFile(
            python,
            checkEnvArgs(options.trainerRoot),
            {
                env: options.env,
                cwd: options.cwd,
                timeout: options.timeoutMs ?? 120_000,
                maxBuffer: 1 << 20,
                windowsHide: true,
            },
            (error, stdout, stderr) => {
                const report = error ? undefined : parseEnvReport(stdout);
                if (report) {
                    const problems = adviseReport(python, report);
                    resolve({ python, report, problems, ok: problems.every((p) => p.level !== 'error') });
                    return;
                }
                const code = error
                    ? ((error as NodeJS.ErrnoException).code ?? (error.killed ? 'ETIMEDOUT' : null))
                    : 'no JSON';
                const problems = error
                    ? adviseFailure(python, { code, stderr, stdout })
                    : [
                          {
                              level: 'error' as const,
                              message: `check-env printed no report: ${stdout.slice(0, 200)}`,
                              fix: `Run "${python} -m mas_trainer check-env" in a terminal.`,
                          },
                      ];
                resolve({ python, problems, ok: false });
            },
        );
    });
}

/** The report as lines for the output channel and the notification. */
export function describeEnv(check: EnvCheck): string[] {
    const lines = [`Python: ${check.python}${check.report ? ` (${check.report.python})` : ''}`];
    if (check.report) {
        const r = check.report;
        const others = {
            ...(r.packages ?? { transformers: r.transformers ?? null, peft: r.peft ?? null }),
            ...r.optional,
        };
        lines.push(
            [
                `torch: ${r.torch ?? 'missing'}`,
                ...Object.entries(others).map(([n, v]) => `${n}: ${v ?? 'missing'}`),
            ].join('; '),
        );
        lines.push(
            r.cuda_available
                ? `CUDA: ${r.gpus.map((g) => `${g.name} (${g.memory_mb} MiB)`).join(', ') || 'available'}`
                : 'CUDA: not available (CPU only)',
        );
    }
    for (const p of check.problems) lines.push(`${p.level}: ${p.message} Fix: ${p.fix}`);
    return lines;
}
