// Finding the trainer's Python (setting → Python extension → trainer/.venv → python3) and check-env's advice.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
    adviseFailure,
    adviseReport,
    describeEnv,
    parseEnvReport,
    runCheckEnv,
    type EnvReport,
} from '../../client/src/training/check-env.js';
import { hfDownloadCommand, TORCH_CUDA_INDEX } from '../../client/src/training/trainer-requirements.js';
import {
    PythonSettingError,
    resolvePython,
    venvPython,
    type PythonFacts,
} from '../../client/src/training/python-resolve.js';
import { trainerEnv } from '../../client/src/training/trainer-args.js';
import { UntrustedWorkspaceError } from '../../client/src/training/trust.js';
import { fakeEnv, fakeTrainerRoot, tempDir, testPython, trusted, untrusted } from './helpers.js';

function facts(over: Partial<PythonFacts>): PythonFacts {
    return {
        setting: '',
        pythonExtension: async () => undefined,
        venvRoots: [],
        exists: () => false,
        platform: 'linux',
        ...over,
    };
}

describe('resolvePython', () => {
    it('takes the setting first, then the Python extension, then trainer/.venv, then python3', async () => {
        const venv = venvPython('/ws', 'linux');
        const all = facts({
            setting: '/opt/py/bin/python',
            pythonExtension: async () => '/ext/python',
            venvRoots: ['/ws'],
            exists: () => true,
        });
        expect(await resolvePython(all)).toMatchObject({ command: '/opt/py/bin/python', source: 'setting' });
        expect(await resolvePython({ ...all, setting: '  ' })).toMatchObject({
            command: '/ext/python',
            source: 'python-extension',
        });
        expect(
            await resolvePython({ ...all, setting: undefined, pythonExtension: async () => undefined }),
        ).toMatchObject({ command: venv, source: 'trainer-venv' });
        expect(await resolvePython(facts({ venvRoots: ['/ws'] }))).toMatchObject({
            command: 'python3',
            source: 'default',
        });
        expect(await resolvePython(facts({ platform: 'win32' }))).toMatchObject({ command: 'python' });
    });

    it('a failing Python extension falls through instead of blocking', async () => {
        const r = await resolvePython(
            facts({
                pythonExtension: async () => {
                    throw new Error('not activated');
                },
            }),
        );
        expect(r.source).toBe('default');
    });

    it('refuses a setting that names a missing file or is not a string, saying what to do', async () => {
        await expect(resolvePython(facts({ setting: '/nope/python' }))).rejects.toThrow(
            /does not exist; run "MAS: Select Python Interpreter"/,
        );
        await expect(resolvePython(facts({ setting: 42 }))).rejects.toBeInstanceOf(PythonSettingError);
        await expect(resolvePython(facts({ setting: 'python3\n; rm -rf /' }))).rejects.toThrow(/newline/);
        // A bare command name is looked up on PATH by spawn, so it need not exist as a file here.
        expect(await resolvePython(facts({ setting: 'python3.12' }))).toMatchObject({
            command: 'python3.12',
            source: 'setting',
        });
    });

    it('uses Scripts\\python.exe on Windows', () => {
        expect(venvPython('C:\\ws', 'win32')).toBe('C:\\ws\\trainer\\.venv\\Scripts\\python.exe');
    });
});

const report: EnvReport = {
    python: '3.11.7',
    torch: '2.4.0+cu124',
    cuda_available: true,
    gpus: [{ name: 'H200', memory_mb: 143771 }],
    transformers: '4.44',
    peft: '0.12',
};

describe('check-env advice', () => {
    it('parses the last JSON line even after other output', () => {
        expect(parseEnvReport(`warning: something\n${JSON.stringify(report)}\n`)).toEqual(report);
        expect(parseEnvReport('Traceback ...\n{not json')).toBeUndefined();
        expect(parseEnvReport('{"python": 3}')).toBeUndefined();
    });

    it('a complete GPU environment has no problems', () => {
        expect(adviseReport('py', report)).toEqual([]);
    });

    it('torch missing, old Python, missing peft, CPU-only torch: each with a fix', () => {
        expect(adviseReport('py', { ...report, torch: null })).toMatchObject([
            {
                level: 'error',
                message: expect.stringContaining('PyTorch is not installed'),
                fix: expect.stringContaining('pip install torch'),
            },
        ]);
        expect(adviseReport('py', { ...report, python: '3.8.10' })[0]).toMatchObject({
            level: 'error',
            message: expect.stringContaining('too old'),
        });
        expect(adviseReport('py', { ...report, peft: undefined })[0]?.fix).toContain('peft');
        // Each missing package every run needs is named, and one pip command installs them all (the check named
        // only torch before).
        const packages = { transformers: '4.44.0', peft: null, safetensors: '0.4.0', numpy: null, onnx: '1.16' };
        expect(adviseReport('py', { ...report, packages, optional: { tensorboard: '2.17' } })).toEqual([
            expect.objectContaining({
                level: 'error',
                message:
                    "The trainer's packages peft, numpy are not installed for py (needed for every model, also scratch ones).",
                fix: '"py" -m pip install peft numpy',
            }),
        ]);
        const cpu = adviseReport('py', { ...report, torch: '2.4.0+cpu', cuda_available: false, gpus: [] });
        expect(cpu).toMatchObject([{ level: 'warning', fix: expect.stringContaining('CUDA build') }]);
    });

    it('advises what the trainer really needs: onnx for the critic export, tensorboard, a current CUDA index (issue 13 item 7)', () => {
        const packages = { transformers: '4.44.0', peft: '0.12.0', safetensors: '0.4.0', numpy: '2.0', onnx: null };
        // Neither blocks training: each is a warning that says what a run loses without it.
        expect(adviseReport('py', { ...report, packages, optional: { tensorboard: null } })).toEqual([
            {
                level: 'warning',
                code: 'missing-feature',
                message:
                    'onnx is not installed for py: a run with `credit: critic` cannot export critic.onnx, which the editor reads for what-if critic credit.',
                fix: '"py" -m pip install onnx',
            },
            {
                level: 'warning',
                code: 'missing-feature',
                message:
                    "tensorboard is not installed for py: runs write no TensorBoard event files to their tensorboard/ folder (metrics.jsonl and the dashboard don't need it).",
                fix: '"py" -m pip install tensorboard',
            },
        ]);
        // An older trainer that does not report optional packages: no tensorboard advice, nothing refused.
        expect(adviseReport('py', { ...report, packages: { ...packages, onnx: '1.16' } })).toEqual([]);
        // One CUDA wheel index, a current one, in every piece of advice that installs torch.
        const cpuBuild = adviseReport('py', { ...report, torch: '2.4.0+cpu', cuda_available: false, gpus: [] });
        expect(cpuBuild[0]!.fix).toMatch(/--index-url https:\/\/download\.pytorch\.org\/whl\/cu12[89][;) ]/);
        expect(cpuBuild[0]!.fix).toContain(`"py" -m pip install --upgrade torch --index-url ${TORCH_CUDA_INDEX}`);
        expect(adviseReport('py', { ...report, torch: null })[0]!.fix).toContain(`--index-url ${TORCH_CUDA_INDEX}`);
        expect(adviseReport('py', { ...report, cuda_available: false, gpus: [] })[0]!.fix).toContain(TORCH_CUDA_INDEX);
        // The report's lines name every package, optional ones included.
        const lines = describeEnv({
            python: 'py',
            report: { ...report, packages, optional: { tensorboard: null } },
            problems: [],
            ok: true,
        });
        expect(lines[1]).toBe(
            'torch: 2.4.0+cu124; transformers: 4.44.0; peft: 0.12.0; safetensors: 0.4.0; numpy: 2.0; onnx: missing; tensorboard: missing',
        );
        expect(hfDownloadCommand('Qwen/Qwen3-0.6B')).toBe('hf download Qwen/Qwen3-0.6B');
    });

    it('a missing interpreter or a missing trainer package is named with its fix', () => {
        expect(adviseFailure('/x/python', { code: 'ENOENT', stderr: '', stdout: '' })[0]?.message).toContain(
            'No Python interpreter at "/x/python"',
        );
        expect(
            adviseFailure('py', { code: 1, stderr: '/usr/bin/python3: No module named mas_trainer\n', stdout: '' })[0]
                ?.message,
        ).toContain('mas_trainer cannot be imported');
    });
});

describe('runCheckEnv (real processes)', () => {
    it('runs check-env with an argument array and reports a CPU-only environment as usable', async () => {
        const check = await runCheckEnv(testPython, { env: fakeEnv(), trainerRoot: fakeTrainerRoot, trust: trusted });
        expect(check.ok).toBe(true);
        expect(check.report?.torch).toBe('2.4.0+cpu');
        expect(describeEnv(check).join('\n')).toContain('CUDA: not available');
    });

    it('wrong interpreter path: not ok, with the fix', async () => {
        const check = await runCheckEnv('/definitely/not/python', {
            env: fakeEnv(),
            trainerRoot: fakeTrainerRoot,
            trust: trusted,
        });
        expect(check.ok).toBe(false);
        expect(check.problems[0]?.fix).toContain('Select Python Interpreter');
    });

    // Needs an interpreter without mas_trainer installed (python3 outside trainer/.venv normally is one).
    const python3HasTrainer =
        spawnSync('python3', ['-c', 'import mas_trainer'], { env: { PATH: process.env['PATH'] } }).status === 0;
    it.skipIf(python3HasTrainer)('trainer package missing: not ok, names mas_trainer', async () => {
        const empty = tempDir();
        try {
            const env = trainerEnv({ PATH: process.env['PATH'] });
            // The trainer folder given holds no mas_trainer; an interpreter outside the venv has none installed.
            const check = await runCheckEnv('python3', { env, trainerRoot: empty.dir, cwd: empty.dir, trust: trusted });
            expect(check.ok).toBe(false);
            expect(check.problems[0]?.message).toContain('mas_trainer');
        } finally {
            empty.cleanup();
        }
    });

    it('wrong interpreter (not a Python at all): not ok, shows what it printed', async () => {
        const check = await runCheckEnv(process.execPath, {
            env: fakeEnv(),
            trainerRoot: fakeTrainerRoot,
            trust: trusted,
        });
        expect(check.ok).toBe(false);
        expect(check.problems[0]?.message).toMatch(/bad option: -[A-Za-z]/);
    });

    it('a setting holding shell syntax is run as one literal program name: nothing else runs', async () => {
        const tmp = tempDir();
        try {
            const check = await runCheckEnv('python3; touch pwned', {
                env: fakeEnv(),
                trainerRoot: fakeTrainerRoot,
                cwd: tmp.dir,
                trust: trusted,
            });
            expect(check.problems[0]?.message).toContain('No Python interpreter at "python3; touch pwned"');
            expect(readdirSync(tmp.dir)).toEqual([]);
        } finally {
            tmp.cleanup();
        }
    });

    it('is refused in an untrusted workspace before anything is spawned', async () => {
        await expect(
            runCheckEnv(path.resolve('does-not-matter'), { env: {}, trainerRoot: fakeTrainerRoot, trust: untrusted }),
        ).rejects.toBeInstanceOf(UntrustedWorkspaceError);
    });
});
