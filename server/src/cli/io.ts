import { resolve } from 'node:path';

/** Where the CLI reads and writes: the real process in `cli.ts`, buffers in tests. */
export interface CliIo {
    /** The folder relative paths are resolved against. */
    cwd: string;
    stdout(text: string): void;
    stderr(text: string): void;
    writeFile(path: string, text: string): Promise<void>;
    /** Folder of the built webview bundles (out/webview/) that `mas report` inlines; absent: the report says to build. */
    webviewDir?: string;
    /** The trainer's folder (holding mas_trainer/) that `mas rescore` runs; absent: ./trainer. */
    trainerRoot?: string;
}

/** Exit codes: 0 success, 1 the input has errors, 2 usage or path problem, 3 a bug in mas itself. */
export const EXIT = { ok: 0, errors: 1, usage: 2, internal: 3 } as const;

/**
 * Writes a command's output file (relative to `io.cwd`). On failure says why on stderr, as `mas <command>: cannot
 * write …`, and returns false; the caller then exits with EXIT.usage.
 */
export async function writeOutputFile(io: CliIo, command: string, output: string, text: string): Promise<boolean> {
    try {
        await io.writeFile(resolve(io.cwd, output), text);
        return true;
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
        io.stderr(`mas ${command}: cannot write ${output} (${code}); check that its folder exists and is writable.\n`);
        return false;
    }
}
