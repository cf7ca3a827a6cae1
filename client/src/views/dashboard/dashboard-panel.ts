/** The training dashboard panel: a PanelHost for the `dashboard` bundle driven by a DashboardFeed. */
import * as vscode from 'vscode';
import type { DashboardState, DashboardToHost, DashboardToView } from '../../../../protocol/webview-messages.js';
import { COMMAND_IDS } from '../../../../protocol/commands.js';
import { DashboardFeed } from './dashboard-feed.js';
import { saveExport } from './dashboard-export.js';
import { parseDashboardToHost } from '../common/messages.js';
import { PanelHost } from '../common/panel-host.js';
import { runDirProblem, workspaceRunDirs } from '../../runs/run-directory.js';
import { readRunState } from '../../runs/run-state.js';
import { TrainerAttachment } from '../../training/trainer-attachment.js';
import type { RunFollowers } from '../../runs/run-followers.js';
import { pickRunDirectory } from '../../runs/run-picker.js';

export const DASHBOARD_VIEW_TYPE = 'mas.dashboard';

export interface DashboardDeps {
    extensionUri: vscode.Uri;
    log(message: string): void;
    /** The run followers shared with the followed trainers (one per run directory). */
    followers: RunFollowers;
    /** Opens the run's trajectory view at a step (a click on a chart). */
    openStep(runDir: string, step: number): void;
    onDispose(): void;
}

export class DashboardPanel implements vscode.Disposable {
    private readonly host: PanelHost<DashboardToView, DashboardToHost>;
    readonly feed: DashboardFeed;

    constructor(
        panel: vscode.WebviewPanel,
        private readonly deps: DashboardDeps,
        restored?: DashboardState,
    ) {
        this.feed = new DashboardFeed((message) => this.host.post(message), {}, deps.followers);
        this.host = new PanelHost<DashboardToView, DashboardToHost>(panel, deps.extensionUri, {
            bundle: 'dashboard',
            title: 'MAS Training Dashboard',
            parse: parseDashboardToHost,
            onReady: () => this.feed.resend(),
            onMessage: (message) => void this.onMessage(message),
            onDispose: () => {
                this.feed.dispose();
                deps.onDispose();
            },
            log: deps.log,
        });
        // Restored after a window reload: only folders that still look like runs are followed again.
        const primary = restored?.primaryRunDir;
        if (primary && !runDirProblem(primary)) this.feed.setRun('primary', primary);
        for (const dir of restored?.compareRunDirs ?? []) if (!runDirProblem(dir)) this.feed.addCompare(dir);
    }

    static create(deps: DashboardDeps): DashboardPanel {
        const panel = vscode.window.createWebviewPanel(
            DASHBOARD_VIEW_TYPE,
            'MAS Training Dashboard',
            vscode.ViewColumn.Active,
        );
        return new DashboardPanel(panel, deps);
    }

    get panel(): vscode.WebviewPanel {
        return this.host.panel;
    }

    /**
     * Shows a run as the main run (`primary`) or overlays it as one more comparison run (`compare`); returns the
     * problem instead when the folder is not a run or no more runs can be overlaid.
     */
    showRun(runDir: string, slot: 'primary' | 'compare' = 'primary'): string | undefined {
        const problem = runDirProblem(runDir);
        if (problem) return problem;
        if (slot === 'compare') {
            const added = this.feed.addCompare(runDir);
            return 'refused' in added ? `MAS: ${added.refused}` : undefined;
        }
        // A run is drawn once: the new main run stops being one of the comparisons.
        for (const other of this.feed.compareSlots()) if (this.feed.runDir(other) === runDir) this.feed.clear(other);
        if (this.feed.runDir('primary') !== runDir) this.feed.setRun('primary', runDir);
        return undefined;
    }

    reveal(): void {
        this.host.panel.reveal();
    }

    dispose(): void {
        this.host.dispose();
    }

    /** The workspace's runs not shown yet, described as the Runs view and Open Run… describe them. */
    private knownRuns(): { label: string; description: string; runDir: string }[] {
        const shown = new Set(
            [this.feed.runDir('primary'), ...this.feed.compareSlots().map((slot) => this.feed.runDir(slot))].filter(
                (dir): dir is string => dir !== undefined,
            ),
        );
        return workspaceRunDirs((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath))
            .filter((dir) => !shown.has(dir))
            .map((dir) => {
                const state = readRunState(dir, (d) => TrainerAttachment.trainerAlive(d));
                return { label: state.name, description: state.detail, runDir: dir };
            });
    }

    private async onMessage(message: Exclude<DashboardToHost, { type: 'ready' }>): Promise<void> {
        if (message.type === 'dashboard/clearCompare') {
            this.feed.clearCompares();
            return;
        }
        if (message.type === 'dashboard/removeRun') {
            this.feed.clear(message.slot);
            return;
        }
        if (message.type === 'dashboard/export') {
            await saveExport(message, this.feed.runDir('primary'));
            return;
        }
        if (message.type === 'dashboard/openStep') {
            const runDir = this.feed.runDir('primary');
            if (runDir) this.deps.openStep(runDir, message.step);
            return;
        }
        if (message.type === 'dashboard/openTensorBoard') {
            await vscode.commands.executeCommand(COMMAND_IDS.openTensorBoard, this.feed.runDir('primary'));
            return;
        }
        const dir = await pickRunDirectory({
            openLabel: message.slot === 'compare' ? 'Compare With This Run' : 'Open Run',
            ...(message.slot === 'compare' ? { title: 'MAS: compare with which run?' } : {}),
            known: () => this.knownRuns(),
        });
        if (!dir) return;
        const problem = this.showRun(dir, message.slot);
        if (problem) void vscode.window.showErrorMessage(problem);
    }
}
