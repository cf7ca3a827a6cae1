/**
 * The Runs view (activity bar, MAS Studio): every run directory under the workspace's runs/ folders, and any run
 * this window follows from elsewhere, with its state (run-state.ts, the same line as Open Run…'s picker). Rows are
 * the run directories' Uris, so the inline actions are the ordinary commands (dashboard, trajectories, stop), which
 * take a run directory Uri. Refreshed when a run.json / launch.json under runs/ changes (a trainer rewrites run.json
 * every step) and when a followed trainer makes progress, starts or ends.
 */
import * as vscode from 'vscode';
import type { RunIndex } from '../../../analysis/run-dir/run-index.js';
import { reportHeader, reportMetrics } from '../../../analysis/run-dir/report-header.js';
import { summarizeRun } from '../../../analysis/run-dir/view-model.js';
import { COMMAND_IDS } from '../../../protocol/commands.js';
import type { AgentSummary } from '../../../protocol/trajectory-messages.js';
import { workspaceRunDirs } from './run-directory.js';
import { readRunState, runContextValue, RUNS_VIEW_ID, type RunState, type RunStateKind } from './run-state.js';

export { RUN_CONTEXT_VALUES, RUNS_VIEW_ID } from './run-state.js';

const ICONS: Record<RunStateKind, { id: string; color?: string }> = {
    running: { id: 'sync~spin', color: 'charts.blue' },
    starting: { id: 'loading~spin' },
    complete: { id: 'pass', color: 'testing.iconPassed' },
    stopped: { id: 'debug-stop' },
    interrupted: { id: 'debug-pause', color: 'charts.yellow' },
    failed: { id: 'error', color: 'testing.iconFailed' },
};

const MAX_DESCRIPTION = 80;

/** What the view lists: the workspace folders whose runs/ it reads, the runs followed, which trainers live. */
export interface RunsSource {
    folders(): string[];
    /** Run directories this window follows (a run opened from outside the workspace included). */
    followed(): string[];
    alive(runDir: string): boolean;
    /** The run's index, from the run reader's worker (a run's agent summary is read from it when its row opens). */
    index?(runDir: string): Promise<RunIndex>;
}

/** A row under a run: one agent's share of the credit (the lazy one flagged), or the summary's note. */
export interface RunDetail {
    runDir: string;
    label: string;
    description: string;
    flagged: boolean;
    /** A codicon other than the agent's (the reward row). */
    icon?: string;
}

type Node = vscode.Uri | RunDetail;
const isRun = (node: Node): node is vscode.Uri => node instanceof vscode.Uri;

/** The agent rows of a run's summary: each agent's share under the first separating estimator (or the training
 *  one), the lazy agents flagged with their sentence; then the note (who is flagged and why, or what to record). */
export function summaryRows(runDir: string, summary: AgentSummary): RunDetail[] {
    const method = summary.separating[0] ?? summary.methods[0];
    const column = method === undefined ? -1 : summary.methods.indexOf(method);
    const rows = summary.rows.map((row): RunDetail => {
        const share = row.cells[column]?.share;
        const shown = share === null || share === undefined ? '–' : `${Number((share * 100).toFixed(1))} %`;
        return {
            runDir,
            label: row.agent,
            description: row.frozen
                ? 'frozen: never trained, no training credit'
                : (row.lazy ?? `${shown} of the credit under ${method ?? '–'}`),
            flagged: row.lazy !== undefined,
        };
    });
    return [...rows, { runDir, label: 'summary', description: summary.note, flagged: false }];
}

/** The run's final and best mean reward (metrics.jsonl), the first thing to compare between runs. */
export function rewardRow(runDir: string, index: RunIndex): RunDetail {
    const { final, best } = reportHeader(index, reportMetrics(index));
    const value = (v: number | null) => (v === null ? '–' : v.toFixed(3));
    const description = final
        ? `final ${value(final.reward)} (step ${final.step}) · best ${best ? `${value(best.reward)} (step ${best.step})` : '–'}`
        : 'no step finished yet';
    return { runDir, label: 'reward', description, flagged: false, icon: 'graph-line' };
}

export class RunsTreeProvider implements vscode.TreeDataProvider<Node>, vscode.Disposable {
    private readonly changed = new vscode.EventEmitter<void>();
    readonly onDidChangeTreeData = this.changed.event;
    /** The states read by the last getChildren, by run directory: getTreeItem draws from them. */
    private states = new Map<string, RunState>();

    constructor(private readonly source: RunsSource) {}

    refresh(): void {
        this.changed.fire();
    }

    /** The runs (newest first in each runs/ folder, then the followed runs from elsewhere), or a run's summary rows. */
    getChildren(element?: Node): Node[] | Promise<Node[]> {
        if (element) return isRun(element) ? this.details(element.fsPath) : [];
        return this.runs();
    }

    /** The top level: the run directories' Uris; reads each run.json once. */
    runs(): vscode.Uri[] {
        const dirs = [...new Set([...workspaceRunDirs(this.source.folders()), ...this.source.followed()])];
        const alive = (dir: string) => this.source.alive(dir);
        this.states = new Map(dirs.map((dir) => [dir, readRunState(dir, alive)]));
        return dirs.map((dir) => vscode.Uri.file(dir));
    }

    /** A run's agent summary, read when its row is opened; a run the reader refuses says why. */
    private async details(runDir: string): Promise<RunDetail[]> {
        if (!this.source.index) return [];
        try {
            const index = await this.source.index(runDir);
            return [rewardRow(runDir, index), ...summaryRows(runDir, summarizeRun(index, false).agentSummary)];
        } catch (error) {
            return [{ runDir, label: 'unreadable', description: (error as Error).message, flagged: true }];
        }
    }

    getTreeItem(node: Node): vscode.TreeItem {
        if (!isRun(node)) {
            const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.None);
            item.description = node.description;
            item.tooltip = `${node.label}: ${node.description}`;
            item.iconPath = new vscode.ThemeIcon(
                node.flagged ? 'warning' : (node.icon ?? (node.label === 'summary' ? 'info' : 'person')),
                node.flagged ? new vscode.ThemeColor('list.warningForeground') : undefined,
            );
            item.contextValue = 'masRunDetail';
            // The same summary heads the trajectory view, with the rollouts that make it.
            item.command = {
                title: 'Show Trajectories and Credit',
                command: COMMAND_IDS.showTrajectories,
                arguments: [vscode.Uri.file(node.runDir)],
            };
            return item;
        }
        const uri = node;
        const state = this.states.get(uri.fsPath) ?? readRunState(uri.fsPath, (dir) => this.source.alive(dir));
        // Runs with records open onto their agent summary (the lazy agent flagged); a run that never started has none.
        const hasRecords = this.source.index !== undefined && state.stepsCompleted !== undefined;
        const item = new vscode.TreeItem(
            state.name,
            hasRecords ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
        );
        item.id = state.runDir;
        item.description =
            state.detail.length > MAX_DESCRIPTION ? `${state.detail.slice(0, MAX_DESCRIPTION - 1)}…` : state.detail;
        item.tooltip = [state.runDir, state.workflow ? `workflow ${state.workflow}` : '', state.detail]
            .filter(Boolean)
            .join('\n');
        const icon = ICONS[state.kind];
        item.iconPath = new vscode.ThemeIcon(icon.id, icon.color ? new vscode.ThemeColor(icon.color) : undefined);
        item.contextValue = runContextValue(state.kind);
        item.command = { title: 'Open Dashboard', command: COMMAND_IDS.showDashboard, arguments: [uri] };
        return item;
    }

    dispose(): void {
        this.changed.dispose();
    }
}

/** The view, its provider and what refreshes it; everything returned is to be disposed with the extension. */
export function registerRunsView(
    source: RunsSource,
    followedChanged: (listener: () => void) => { dispose(): void },
): { provider: RunsTreeProvider; disposables: vscode.Disposable[] } {
    const provider = new RunsTreeProvider(source);
    const view = vscode.window.createTreeView(RUNS_VIEW_ID, { treeDataProvider: provider });
    // run.json is rewritten atomically each step (a create of the new file), launch.json when a run is launched.
    const watcher = vscode.workspace.createFileSystemWatcher('**/runs/*/{run.json,launch.json}');
    const refresh = () => provider.refresh();
    return {
        provider,
        disposables: [
            provider,
            view,
            watcher,
            watcher.onDidCreate(refresh),
            watcher.onDidChange(refresh),
            watcher.onDidDelete(refresh),
            vscode.workspace.onDidChangeWorkspaceFolders(refresh),
            followedChanged(refresh),
        ],
    };
}
