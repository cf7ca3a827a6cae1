// "Set Up Trainer Environment" and interpreter discovery without an editor: which interpreters are offered, the
// steps a setup runs (venv, pip, the shipped trainer with its dependencies) and where a failure or a cancel stops it.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSetup, setupSteps, TORCH_CPU_INDEX, type SetupPlan } from '../../../client/src/training/env-setup.js';
import { discoverInterpreters, type DiscoveryFacts } from '../../../client/src/training/interpreter-discovery.js';

function facts(files: string[], extra: Partial<DiscoveryFacts> = {}): DiscoveryFacts {
    const set = new Set(files);
    return {
        workspaceFolders: ['/work/proj'],
        home: '/home/u',
        env: {},
        platform: 'linux',
        exists: (f) => set.has(f),
        listDirs: (folder) => {
            const names = new Set<string>();
            for (const f of set) {
                const rel = path.posix.relative(folder, f);
                if (!rel.startsWith('..') && rel.includes('/')) names.add(rel.split('/')[0]!);
            }
            return [...names];
        },
        readText: () => undefined,
        ...extra,
    };
}

describe('interpreter discovery', () => {
    it('finds workspace venvs, virtualenvwrapper, conda (base, envs, active, environments.txt), pyenv and the system', () => {
        const found = discoverInterpreters(
            facts(
                [
                    '/work/proj/.venv/bin/python',
                    '/work/proj/trainer/.venv/bin/python',
                    '/home/u/.virtualenvs/rl/bin/python',
                    '/home/u/miniconda3/bin/python',
                    '/home/u/miniconda3/envs/torch/bin/python',
                    '/opt/conda-envs/gpu/bin/python',
                    '/home/u/.pyenv/versions/3.11.9/bin/python',
                    '/usr/bin/python3',
                    '/home/u/anaconda3/envs/ghost/README', // a folder without a Python is not offered
                ],
                {
                    env: { CONDA_PREFIX: '/home/u/miniconda3/envs/torch' },
                    readText: (f) =>
                        f === '/home/u/.conda/environments.txt' ? '/opt/conda-envs/gpu\nrelative/x\n' : undefined,
                },
            ),
        );
        expect(found.map((i) => [i.kind, i.path, i.detail])).toEqual([
            ['workspace venv', '/work/proj/.venv/bin/python', '.venv in proj'],
            ['workspace venv', '/work/proj/trainer/.venv/bin/python', 'trainer/.venv in proj'],
            ['virtualenvwrapper', '/home/u/.virtualenvs/rl/bin/python', 'virtualenv "rl"'],
            ['conda', '/home/u/miniconda3/envs/torch/bin/python', 'active conda environment'],
            ['conda', '/home/u/miniconda3/bin/python', 'conda base (miniconda3)'],
            ['conda', '/opt/conda-envs/gpu/bin/python', 'conda env "gpu"'],
            ['pyenv', '/home/u/.pyenv/versions/3.11.9/bin/python', 'pyenv 3.11.9'],
            ['system', '/usr/bin/python3', 'system Python'],
        ]);
    });

    it('uses PYENV_ROOT and Windows layouts (Scripts\\python.exe for venvs, python.exe for conda)', () => {
        const win = discoverInterpreters(
            facts(['C:\\proj\\.venv\\Scripts\\python.exe', 'C:\\Users\\u\\miniconda3\\python.exe'], {
                workspaceFolders: ['C:\\proj'],
                home: 'C:\\Users\\u',
                platform: 'win32',
                listDirs: () => [],
            }),
        );
        expect(win.map((i) => [i.kind, i.path])).toEqual([
            ['workspace venv', 'C:\\proj\\.venv\\Scripts\\python.exe'],
            ['conda', 'C:\\Users\\u\\miniconda3\\python.exe'],
        ]);
        const pyenv = discoverInterpreters(
            facts(['/opt/pyenv/versions/3.12.1/bin/python'], { env: { PYENV_ROOT: '/opt/pyenv' } }),
        );
        expect(pyenv.map((i) => i.detail)).toEqual(['pyenv 3.12.1']);
    });
});

const plan = (extra: Partial<SetupPlan> = {}): SetupPlan => ({
    base: 'python3',
    venvDir: '/store/trainer-venv',
    trainerDir: '/ext/trainer',
    cpuOnlyTorch: false,
    platform: 'linux',
    ...extra,
});

describe('trainer environment setup', () => {
    it('creates the venv with the base Python, then installs the shipped trainer with TensorBoard into it', () => {
        const steps = setupSteps(plan({ cpuOnlyTorch: true }));
        expect(steps.map((s) => [s.command, s.args.slice(0, 4).join(' ')])).toEqual([
            ['python3', '-m venv /store/trainer-venv'],
            ['/store/trainer-venv/bin/python', '-m pip install --upgrade'],
            ['/store/trainer-venv/bin/python', `-m pip install torch`],
            ['/store/trainer-venv/bin/python', '-m pip install /ext/trainer[tensorboard]'],
        ]);
        expect(steps[2]!.args).toContain(TORCH_CPU_INDEX);
        const existing = setupSteps(plan({ venvDir: undefined, existing: '/conda/bin/python' }));
        expect(existing.map((s) => s.command)).toEqual(['/conda/bin/python', '/conda/bin/python']);
    });

    it('stops at the first failing step, names it, and reports the interpreter on success', async () => {
        const ran: string[] = [];
        const failing = await runSetup(
            plan(),
            async (step) => {
                ran.push(step.title);
                return step.title.startsWith('installing the trainer') ? 1 : 0;
            },
            () => undefined,
        );
        expect(failing).toEqual({ ok: false, failedStep: 'installing the trainer and its dependencies', code: 1 });
        expect(ran).toHaveLength(3);
        const log: string[] = [];
        const ok = await runSetup(
            plan(),
            async () => 0,
            (line) => log.push(line),
        );
        expect(ok).toEqual({ ok: true, python: '/store/trainer-venv/bin/python' });
        expect(log[0]).toBe('$ python3 -m venv /store/trainer-venv');
    });

    it('a cancel stops before the next step', async () => {
        let cancelled = false;
        const outcome = await runSetup(
            plan(),
            async () => {
                cancelled = true;
                return 0;
            },
            () => undefined,
            undefined,
            () => cancelled,
        );
        expect(outcome).toEqual({ ok: false, failedStep: 'updating pip (cancelled)', code: null });
    });
});
