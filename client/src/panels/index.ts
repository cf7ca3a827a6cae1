/**
 * The webview panels of MAS Studio and their entry points for commands (DESIGN.md §6):
 * - `showDashboard(ctx, runDir?)`: the training dashboard, following `runDir` when given;
 * - `showGraph(ctx, uri)`: the live agent graph of a .mas document.
 * One panel of each kind per window; a second call reveals and retargets it. Both are restored after a
 * window reload by the serializers that `MasPanels` registers when it is created.
 */
import * as vscode from 'vscode';
import type { GraphResponse } from '../../../protocol/lsp.js';
import { DASHBOARD_VIEW_TYPE, DashboardPanel, type DashboardDeps } from './dashboard-panel.js';
import { GRAPH_VIEW_TYPE, GraphPanel, type GraphDeps } from './graph-panel.js';
import { parseDashboardState, parseGraphState } from './messages.js';

export { DashboardPanel } from './dashboard-panel.js';
export { GraphPanel } from './graph-panel.js';

/** What the panels need from the extension's context object (MasContext satisfies it). */
export interface PanelContext {
    readonly extension: vscode.ExtensionContext;
    readonly output: vscode.OutputChannel;
    /** `mas/graph` through the language client (waits for it to start; throws when it is not running). */
    requestGraph(uri: string): Promise<GraphResponse>;
    readonly panels: MasPanels;
}

/** Owns the panels of one extension activation. */
export class MasPanels implements vscode.Disposable {
    private dashboard: DashboardPanel | undefined;
    private graph: GraphPanel | undefined;
    private readonly subscriptions: vscode.Disposable[] = [];

    constructor(private readonly ctx: Omit<PanelContext, 'panels'>) {
        this.subscriptions.push(
            vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
                deserializeWebviewPanel: async (panel, state: unknown) => {
                    this.dashboard?.dispose();
                    this.dashboard = new DashboardPanel(panel, this.dashboardDeps(), parseDashboardState(state));
                },
            }),
            vscode.window.registerWebviewPanelSerializer(GRAPH_VIEW_TYPE, {
                deserializeWebviewPanel: async (panel, state: unknown) => {
                    const restored = parseGraphState(state);
                    if (!restored) {
                        panel.dispose(); // nothing to follow: a graph view without a document is useless
                        return;
                    }
                    this.graph?.dispose();
                    this.graph = new GraphPanel(panel, vscode.Uri.parse(restored.uri), this.graphDeps());
                },
            }),
        );
    }

    /** Opens (or reveals) the dashboard; with `runDir`, shows that run. Throws with the reason when it is not a run. */
    showDashboard(runDir?: string): DashboardPanel {
        const dashboard = this.dashboard ?? DashboardPanel.create(this.dashboardDeps());
        this.dashboard = dashboard;
        if (runDir) {
            const problem = dashboard.showRun(runDir);
            if (problem) throw new Error(problem);
        }
        dashboard.reveal();
        return dashboard;
    }

    /** Opens (or reveals) the graph view following the document `uri`. */
    showGraph(uri: vscode.Uri): GraphPanel {
        if (this.graph) {
            this.graph.follow(uri);
            this.graph.show();
            return this.graph;
        }
        this.graph = GraphPanel.create(uri, this.graphDeps());
        return this.graph;
    }

    dispose(): void {
        this.dashboard?.dispose();
        this.graph?.dispose();
        for (const s of this.subscriptions.splice(0)) s.dispose();
    }

    private log(message: string): void {
        this.ctx.output.appendLine(message);
    }

    private dashboardDeps(): DashboardDeps {
        return {
            extensionUri: this.ctx.extension.extensionUri,
            log: (m) => this.log(m),
            runsRoot: () => {
                const folder = vscode.workspace.workspaceFolders?.[0];
                return folder ? vscode.Uri.joinPath(folder.uri, 'runs') : undefined;
            },
            onDispose: () => { this.dashboard = undefined; },
        };
    }

    private graphDeps(): GraphDeps {
        return {
            extensionUri: this.ctx.extension.extensionUri,
            log: (m) => this.log(m),
            requestGraph: (uri) => this.ctx.requestGraph(uri),
            onDispose: () => { this.graph = undefined; },
        };
    }
}

/** `mas.dashboard.show`: opens the dashboard, following `runDir` when given. */
export function showDashboard(ctx: PanelContext, runDir?: string): DashboardPanel {
    return ctx.panels.showDashboard(runDir);
}

/** `mas.graph.show`: opens the graph view of the .mas document `uri`. */
export function showGraph(ctx: PanelContext, uri: vscode.Uri): GraphPanel {
    return ctx.panels.showGraph(uri);
}
