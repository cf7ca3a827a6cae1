// Small helpers shared by the repository scripts: run a command with an argument array (never a shell string).
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

export const isWindows = process.platform === 'win32';
export const npmCommand = isWindows ? 'npm.cmd' : 'npm';
export const npxCommand = isWindows ? 'npx.cmd' : 'npx';

/** Runs a command, streaming its output; returns its exit status (1 when it could not start). */
export function run(command, args, options = {}) {
    console.log(`\n$ ${[command, ...args].join(' ')}`);
    const result = spawnSync(command, args, { stdio: 'inherit', ...options });
    if (result.error) {
        console.error(`${command}: ${result.error.message}`);
        return 1;
    }
    return result.status ?? 1;
}

/** Runs a command and exits the script with its status when it fails. */
export function runOrExit(command, args, options) {
    const status = run(command, args, options);
    if (status !== 0) process.exit(status);
}

/** node_modules is missing or older than the lockfile: `npm ci` is needed. */
export function nodeModulesStale() {
    const marker = 'node_modules/.package-lock.json';
    if (!existsSync(marker)) return true;
    return statSync('package-lock.json').mtimeMs > statSync(marker).mtimeMs;
}

export function ensureNodeModules() {
    if (nodeModulesStale()) runOrExit(npmCommand, ['ci']);
    else console.log('node_modules is up to date with package-lock.json');
}

export const venvPython = isWindows ? 'trainer/.venv/Scripts/python.exe' : 'trainer/.venv/bin/python';

/** Creates trainer/.venv and installs the trainer with its dev extra; skipped while trainer/ has no pyproject. */
export function ensureTrainerVenv() {
    if (!existsSync('trainer/pyproject.toml')) {
        console.log('trainer/pyproject.toml not found: skipping the Python environment');
        return false;
    }
    const env = { ...process.env, PIP_RETRIES: '0', PIP_DISABLE_PIP_VERSION_CHECK: '1' };
    if (!existsSync(venvPython)) runOrExit(isWindows ? 'python' : 'python3', ['-m', 'venv', 'trainer/.venv'], { env });
    runOrExit(venvPython, ['-m', 'pip', 'install', '-e', 'trainer[dev]'], { env });
    return true;
}
