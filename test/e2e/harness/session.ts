// One e2e session: a copy of examples/ as the workspace (the scenarios edit files), code-server with the
// VSIX installed, Chromium on the workbench. `stop()` ends both by pid and reports any process left behind.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
// @ts-expect-error: plain .mjs shared with the packaging script, no type declarations.
import { vsixPath } from '../../../scripts/vsix-path.mjs';
import { openBrowser, type BrowserSession } from './browser.js';
import { startCodeServer, type CodeServer } from './code-server.js';
import { groupMembers } from './processes.js';
import { Workbench } from './workbench.js';

export interface Session {
    readonly server: CodeServer & { installOutput: string };
    readonly browser: BrowserSession;
    readonly workbench: Workbench;
    /** The workspace folder (a copy of examples/). */
    readonly workspace: string;
    /** Pids of processes still alive in the stopped groups (empty when the cleanup worked). */
    stop(): Promise<number[]>;
}

export interface SessionOptions {
    settings?: Record<string, unknown>;
    /** Machine-scoped settings (see CodeServerOptions). */
    machineSettings?: Record<string, unknown>;
    /** Folders copied into the workspace before start: workspace-relative destination → source path. */
    folders?: Record<string, string>;
    /** Files to overwrite in the workspace copy before start, by relative path. */
    files?: Record<string, string>;
}

export async function startSession(options: SessionOptions = {}): Promise<Session> {
    const workspace = join(mkdtempSync(join(tmpdir(), 'mas-e2e-workspace-')), 'examples');
    cpSync(resolve('examples'), workspace, { recursive: true });
    for (const [path, source] of Object.entries(options.folders ?? {}))
        cpSync(resolve(source), join(workspace, path), { recursive: true });
    for (const [path, text] of Object.entries(options.files ?? {})) {
        mkdirSync(dirname(join(workspace, path)), { recursive: true });
        writeFileSync(join(workspace, path), text);
    }
    const server = await startCodeServer({
        vsix: vsixPath() as string,
        settings: options.settings,
        machineSettings: options.machineSettings,
    });
    let browser: BrowserSession;
    try {
        browser = await openBrowser(`${server.url}?folder=${encodeURIComponent(workspace)}`);
    } catch (error) {
        await server.stop();
        throw error;
    }
    return {
        server,
        browser,
        workbench: new Workbench(browser.page),
        workspace,
        async stop() {
            const groups = [browser.pid, server.pid];
            await browser.close();
            await server.stop();
            rmSync(resolve(workspace, '..'), { recursive: true, force: true });
            return groups.flatMap(groupMembers);
        },
    };
}
