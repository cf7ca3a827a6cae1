/**
 * Which Python runs the trainer (DESIGN.md §6), in this order: the `mas.trainer.pythonPath` setting, the
 * Python extension's interpreter for the workflow's folder, a `trainer/.venv` in the workspace (or in the
 * extension, for development), then `python3` (`python` on Windows). No vscode here: the caller passes the
 * facts in, so the order is tested without an editor.
 */
import * as path from 'node:path';

export type PythonSource = 'setting' | 'python-extension' | 'trainer-venv' | 'default';

export interface ResolvedPython {
    /** What spawn receives as the executable: an absolute path or a command name looked up on PATH. */
    command: string;
    source: PythonSource;
    /** One line for the log and the check-env report: where the choice came from. */
    describe: string;
}

export interface PythonFacts {
    /** The raw setting value (untrusted: any JSON value a settings file can hold). */
    setting: unknown;
    /** The Python extension's interpreter, asked lazily: it may be absent or slow to activate. */
    pythonExtension: () => Promise<string | undefined>;
    /** Folders whose `trainer/.venv` is tried, in order (workspace folders, then the extension's own). */
    venvRoots: readonly string[];
    exists: (file: string) => boolean;
    platform: NodeJS.Platform;
}

export class PythonSettingError extends Error {
    constructor(message: string) {
        super(message);
        this.name = 'PythonSettingError';
    }
}

export function venvPython(root: string, platform: NodeJS.Platform): string {
    return platform === 'win32'
        ? path.win32.join(root, 'trainer', '.venv', 'Scripts', 'python.exe')
        : path.posix.join(root, 'trainer', '.venv', 'bin', 'python');
}

/**
 * Checks the setting: empty means "not set"; a bare command name (`python3.11`) is looked up on PATH by spawn;
 * anything with a path separator must exist. Throws PythonSettingError with what to change.
 */
export function checkPythonSetting(value: unknown, exists: (file: string) => boolean): string | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') {
        throw new PythonSettingError(
            `mas.trainer.pythonPath must be a string (the path of a Python interpreter), not ${JSON.stringify(value)}; fix it in your user settings.`,
        );
    }
    const trimmed = value.trim();
    if (trimmed === '') return undefined;
    if (value.includes('\0') || /[\r\n]/.test(value)) {
        throw new PythonSettingError(
            'mas.trainer.pythonPath contains a NUL or newline character; set it to the path of a Python interpreter.',
        );
    }
    const isBareName = !/[\\/]/.test(trimmed);
    if (!isBareName && !exists(trimmed)) {
        throw new PythonSettingError(
            `mas.trainer.pythonPath is "${trimmed}", which does not exist; run "MAS: Select Python Interpreter" or fix the setting.`,
        );
    }
    return trimmed;
}

export async function resolvePython(facts: PythonFacts): Promise<ResolvedPython> {
    const fromSetting = checkPythonSetting(facts.setting, facts.exists);
    if (fromSetting)
        return { command: fromSetting, source: 'setting', describe: `${fromSetting} (setting mas.trainer.pythonPath)` };

    let fromExtension: string | undefined;
    try {
        fromExtension = await facts.pythonExtension();
    } catch {
        fromExtension = undefined; // a broken Python extension must not block training: fall through
    }
    if (fromExtension)
        return {
            command: fromExtension,
            source: 'python-extension',
            describe: `${fromExtension} (Python extension's interpreter)`,
        };

    for (const root of facts.venvRoots) {
        const candidate = venvPython(root, facts.platform);
        if (facts.exists(candidate))
            return { command: candidate, source: 'trainer-venv', describe: `${candidate} (trainer/.venv)` };
    }
    const fallback = facts.platform === 'win32' ? 'python' : 'python3';
    return {
        command: fallback,
        source: 'default',
        describe: `${fallback} (first on PATH; no setting, Python extension or trainer/.venv found)`,
    };
}
