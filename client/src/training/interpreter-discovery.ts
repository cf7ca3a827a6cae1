/**
 * Python interpreters a user may want the trainer to use, found the way the Python extension and the tools
 * themselves lay them out: virtual environments in the workspace (`.venv`, `venv`, `env`, `trainer/.venv`),
 * virtualenvwrapper (`~/.virtualenvs/*`), conda (the active `CONDA_PREFIX`, the usual install folders and their
 * `envs/*`, the envs listed in `~/.conda/environments.txt`), pyenv (`$PYENV_ROOT/versions/*`), then the system's.
 * No vscode and no I/O of its own: the caller passes the facts in, so discovery is tested without an editor.
 */
import * as path from 'node:path';

export type InterpreterKind = 'workspace venv' | 'virtualenvwrapper' | 'conda' | 'pyenv' | 'system';

export interface DiscoveredInterpreter {
    path: string;
    kind: InterpreterKind;
    /** Where it was found, for the picker (`conda env "torch"`, `.venv in my-project`). */
    detail: string;
}

export interface DiscoveryFacts {
    workspaceFolders: readonly string[];
    home: string;
    env: Readonly<Record<string, string | undefined>>;
    platform: NodeJS.Platform;
    exists(file: string): boolean;
    /** Sub-folders of a folder (names only); [] when it cannot be read. */
    listDirs(folder: string): string[];
    /** A small text file, or undefined when it cannot be read. */
    readText(file: string): string | undefined;
}

/** At most this many environments per conda / pyenv / virtualenvwrapper root: a picker, not an inventory. */
const MAX_PER_ROOT = 50;
const WORKSPACE_VENVS = ['.venv', 'venv', 'env', path.join('trainer', '.venv')];
const CONDA_ROOTS = ['miniconda3', 'anaconda3', 'miniforge3', 'mambaforge', 'micromamba', '.conda'];

/** The interpreter inside an environment folder (`bin/python`, or `Scripts\python.exe` / `python.exe` on Windows). */
export function environmentPython(envDir: string, platform: NodeJS.Platform, conda = false): string {
    if (platform !== 'win32') return path.posix.join(envDir, 'bin', 'python');
    return conda ? path.win32.join(envDir, 'python.exe') : path.win32.join(envDir, 'Scripts', 'python.exe');
}

export function discoverInterpreters(facts: DiscoveryFacts): DiscoveredInterpreter[] {
    const found = new Map<string, DiscoveredInterpreter>();
    const add = (file: string, kind: InterpreterKind, detail: string) => {
        if (!found.has(file) && facts.exists(file)) found.set(file, { path: file, kind, detail });
    };
    const envsUnder = (root: string) =>
        facts
            .listDirs(root)
            .sort()
            .slice(0, MAX_PER_ROOT)
            .map((name) => path.join(root, name));

    for (const folder of facts.workspaceFolders)
        for (const venv of WORKSPACE_VENVS)
            add(
                environmentPython(path.join(folder, venv), facts.platform),
                'workspace venv',
                `${venv} in ${path.basename(folder)}`,
            );

    for (const env of envsUnder(path.join(facts.home, '.virtualenvs')))
        add(environmentPython(env, facts.platform), 'virtualenvwrapper', `virtualenv "${path.basename(env)}"`);

    const condaPrefix = facts.env['CONDA_PREFIX'];
    if (condaPrefix) add(environmentPython(condaPrefix, facts.platform, true), 'conda', 'active conda environment');
    for (const name of CONDA_ROOTS) {
        const root = path.join(facts.home, name);
        add(environmentPython(root, facts.platform, true), 'conda', `conda base (${name})`);
        for (const env of envsUnder(path.join(root, 'envs')))
            add(environmentPython(env, facts.platform, true), 'conda', `conda env "${path.basename(env)}"`);
    }
    const listed = facts.readText(path.join(facts.home, '.conda', 'environments.txt')) ?? '';
    for (const line of listed.split(/\r?\n/).slice(0, MAX_PER_ROOT)) {
        const env = line.trim();
        if (env && path.isAbsolute(env))
            add(environmentPython(env, facts.platform, true), 'conda', `conda env "${path.basename(env)}"`);
    }

    const pyenvRoot = facts.env['PYENV_ROOT'] || path.join(facts.home, '.pyenv');
    for (const version of envsUnder(path.join(pyenvRoot, 'versions')))
        add(environmentPython(version, facts.platform), 'pyenv', `pyenv ${path.basename(version)}`);

    if (facts.platform !== 'win32')
        for (const file of ['/usr/local/bin/python3', '/usr/bin/python3']) add(file, 'system', 'system Python');
    return [...found.values()];
}
