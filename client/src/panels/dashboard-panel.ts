/** The training dashboard panel: a PanelHost for the `dashboard` bundle driven by a DashboardSession. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { LAUNCH_FILES } from '../../../protocol/launch.js';
import { RUN_DIR_FILES } from '../../../protocol/run-dir.js';
import type { DashboardSlot, DashboardState, DashboardToHost, DashboardToView } from '../../../protocol/webview-messages.js';
import { DashboardSession } from './dashboard-session.js';
import { parseDashboardToHost } from './messages.js';
import { PanelHost } from './panel-host.js';

export const DASHBOARD_VIEW_TYPE = 'mas.dashboard';

export interface DashboardDeps {
    extensionUri: vscode.Uri;
    log(message: string): void;
    /** Where "Open Run…" starts browsing (the workspace's runs/ folder), if known. */
    runsRoot(): vscode.Uri | undefined;
    onDispose(): void;
}

/** Why a folder cannot be shown, or undefined when it looks like a run directory. */
export function runDirProblem(dir: string): string | undefined {
    if (!existsSync(dir)) return `${dir} does not exist.`;
    // launch.json: a run the extension has just launched, before the trainer wrote its first file.
    const markers = [RUN_DIR_FILES.run, RUN_DIR_FILES.metrics, LAUNCH_FILES.launch];
    if (!markers.some((name) => existsSync(join(dir, name)))) {
        return `${dir} is not a run directory (it has none of ${markers.join(', ')}). Choose a folder under runs/ written by the trainer.`;
    }
    return undefined;
}

export class DashboardPanel implements vscode.Disposable {
    private readonly host: PanelHost<DashboardToView, DashboardToHost>;
    readonly session: DashboardSession;

    constructor(panel: vscode.WebviewPanel, private readonly deps: DashboardDeps, restored?: DashboardState) {
        this.session = new DashboardSession((message) => this.host.post(message));
        this.host = new PanelHost<DashboardToView, DashboardToHost>(panel, deps.extensionUri, {
            bundle: 'dashboard',
            title: 'MAS Training Dashboard',
            parse: parseDashboardToHost,
            onReady: () => this.session.resend(),
            onMessage: (message) => void this.onMessage(message),
            onDispose: () => {
                this.session.dispose();
                deps.onDispose();
            },
            log: deps.log,
        });
        // Restored after a window reload: only folders that still look like runs are followed again.
        for (const [slot, dir] of [['primary', restored?.primaryRunDir], ['compare', restored?.compareRunDir]] as const) {
            if (dir && !runDirProblem(dir)) this.session.setRun(slot, dir);
        }
    }

    static create(deps: DashboardDeps): DashboardPanel {
        const panel = vscode.window.createWebviewPanel(DASHBOARD_VIEW_TYPE, 'MAS Training Dashboard', vscode.ViewColumn.Active);
        return new DashboardPanel(panel, deps);
    }

    get panel(): vscode.WebviewPanel {
        return this.host.panel;
    }

    /** Shows a run in the primary slot; returns the problem instead when the folder is not a run. */
    showRun(runDir: string, slot: DashboardSlot = 'primary'): string | undefined {
        const problem = runDirProblem(runDir);
        if (problem) return problem;
        if (this.session.runDir(slot) !== runDir) this.session.setRun(slot, runDir);
        return undefined;
    }

    reveal(): void {
        this.host.panel.reveal();
    }

    dispose(): void {
        this.host.dispose();
    }

    private async onMessage(message: Exclude<DashboardToHost, { type: 'ready' }>): Promise<void> {
        if (message.type === 'dashboard/clearCompare') {
            this.session.clear('compare');
            return;
        }
        const picked = await vscode.window.showOpenDialog({
            canSelectFiles: false, canSelectFolders: true, canSelectMany: false,
            openLabel: message.slot === 'compare' ? 'Compare With This Run' : 'Open Run',
            defaultUri: this.deps.runsRoot(),
        });
        const dir = picked?.[0]?.fsPath;
        if (!dir) return;
        const problem = this.showRun(dir, message.slot);
        if (problem) void vscode.window.showErrorMessage(problem);
    }
}
