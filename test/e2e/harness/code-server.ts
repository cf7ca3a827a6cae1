// A real VS Code for the e2e suite: the cached code-server (scripts/install-code-server.mjs) with a fresh
// user-data and extensions directory per instance, serving on a free loopback port without auth.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: plain .mjs shared with the install script, no type declarations.
import { codeServerEntry } from '../../../scripts/code-server-paths.mjs';
import { freePort, startProcess, type Started } from './processes.js';

export interface CodeServer {
    readonly url: string;
    readonly pid: number;
    readonly userDataDir: string;
    readonly extensionsDir: string;
    /** Text of every log file under the user-data dir whose path matches `name` (e.g. the extension host's). */
    readLogs(name: RegExp): string;
    stop(): Promise<void>;
}

export interface CodeServerOptions {
    /** User settings written before start (e.g. workspace trust). */
    settings?: Record<string, unknown>;
    /** A VSIX installed into the fresh extensions directory before start. */
    vsix?: string;
    /**
     * Machine-scoped settings (e.g. `mas.trainer.pythonPath`): the extension host of code-server is a remote one,
     * and VS Code ignores machine-scoped values in the local user settings there; they go to Machine/settings.json.
     */
    machineSettings?: Record<string, unknown>;
}

function entry(): string {
    const path = codeServerEntry() as string;
    if (!existsSync(path))
        throw new Error(
            `code-server is not installed at ${path}: run \`node scripts/install-code-server.mjs\` (npm run test:e2e does).`,
        );
    return path;
}

function listFiles(dir: string): string[] {
    if (!existsSync(dir)) return [];
    return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? listFiles(join(dir, e.name)) : [join(dir, e.name)],
    );
}

/** Installs a VSIX with code-server's own CLI (what a user runs); returns its output. */
export function installVsix(
    vsix: string,
    dirs: { configFile: string; userDataDir: string; extensionsDir: string },
): string {
    const args = [
        entry(),
        '--config',
        dirs.configFile,
        '--user-data-dir',
        dirs.userDataDir,
        '--extensions-dir',
        dirs.extensionsDir,
        '--install-extension',
        vsix,
    ];
    return execFileSync(process.execPath, args, { encoding: 'utf8', timeout: 120_000 });
}

export async function startCodeServer(
    options: CodeServerOptions = {},
): Promise<CodeServer & { installOutput: string }> {
    const root = mkdtempSync(join(tmpdir(), 'mas-e2e-vscode-'));
    const userDataDir = join(root, 'user-data');
    const extensionsDir = join(root, 'extensions');
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    mkdirSync(extensionsDir, { recursive: true });
    const settings = {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'telemetry.telemetryLevel': 'off',
        'extensions.autoCheckUpdates': false,
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'security.workspace.trust.enabled': false,
        'git.enabled': false,
        'git.openRepositoryInParentFolders': 'never',
        'workbench.editor.enablePreview': false,
        ...options.settings,
    };
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
    if (options.machineSettings) {
        mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
        writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(options.machineSettings, null, 2));
    }
    const configFile = join(root, 'config.yaml'); // keeps ~/.config/code-server untouched
    writeFileSync(configFile, 'auth: none\ncert: false\n');
    let installOutput = '';
    let url = '';
    let server: Started | undefined;
    try {
        if (options.vsix) installOutput = installVsix(options.vsix, { configFile, userDataDir, extensionsDir });
        const port = await freePort();
        server = startProcess(
            process.execPath,
            [
                entry(),
                '--config',
                configFile,
                '--auth',
                'none',
                '--bind-addr',
                `127.0.0.1:${port}`,
                '--user-data-dir',
                userDataDir,
                '--extensions-dir',
                extensionsDir,
                '--disable-telemetry',
                '--disable-update-check',
            ],
            { env: { ...process.env, NODE_OPTIONS: '' } },
        );
        const listening = await server.waitForLine(/HTTP server listening on http:\/\//, 60_000);
        url = listening.slice(listening.indexOf('http://')).trim();
    } catch (error) {
        await server?.stop();
        rmSync(root, { recursive: true, force: true });
        throw error;
    }
    const started: Started = server;
    return {
        url,
        pid: started.pid,
        userDataDir,
        extensionsDir,
        installOutput,
        readLogs: (name) =>
            listFiles(join(userDataDir, 'logs'))
                .filter((f) => name.test(f))
                .map((f) => readFileSync(f, 'utf8'))
                .join('\n'),
        async stop() {
            await started.stop();
            rmSync(root, { recursive: true, force: true });
        },
    };
}
