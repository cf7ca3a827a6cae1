/**
 * The webview panels of MAS Studio (DESIGN.md §6): the training dashboard, the live agent graph of a .mas document
 * and the trajectory views. One dashboard and one graph per window (a second call reveals and retargets it), one
 * trajectory view per run directory. All are restored after a window reload by the serializers registered here.
 */
import * as vscode from 'vscode';
import type { RunReader } from '../../../analysis/run-dir/service.js';
import type { CompileResult, GraphResponse } from '../../../protocol/lsp.js';
import type { TurnEventBody } from '../debug/trajectory-session.js';
import type { OnnxCriticScorer } from '../onnx/critic-scorer.js';
import type { RunFollowers } from '../runs/run-followers.js';
import type { DisposableScope } from '../scope.js';
import { TRAJECTORY_VIEW_TYPE } from './trajectory/trajectory-panel.js';
import { TrajectoryPanels } from './trajectory/trajectory-panels.js';
import type { TrainerPython } from './trajectory/trainer-rescore-progress.js';
import { DASHBOARD_VIEW_TYPE, DashboardPanel, type DashboardDeps } from './dashboard/dashboard-panel.js';
import { GRAPH_VIEW_TYPE, GraphPanel, type GraphDeps } from './graph/graph-panel.js';
import { parseDashboardState, parseGraphState } from './common/messages.js';

export { DashboardPanel } from './dashboard/dashboard-panel.js';
export { GraphPanel } from './graph/graph-panel.js';

/** What the panels need from the extension's context object. */
export interface PanelContext {
    readonly extension: vscode.ExtensionContext;
    readonly output: vscode.OutputChannel;
    /** `mas/graph` through the language client (waits for it to start; throws when it is not running). */
    requestGraph(uri: string): Promise<GraphResponse>;
    /** One follower per run directory, shared with the followed trainers. */
    readonly followers: RunFollowers;
    /** `mas/compile` through the language client, for the trajectory view's rubric. */
    compile(uri: string): Promise<CompileResult>;
    /** The trainer's side: its interpreter re-scores rubrics that call Python verifiers. */
    readonly training?: { readonly python: TrainerPython };
}

/** The trajectory view's workers, shared with the debugger; absent where a test needs only the other panels. */
export interface TrajectoryWorkers {
    reader: RunReader;
    critic: OnnxCriticScorer;
}

export class MasPanels implements vscode.Disposable {
    private dashboard: DashboardPanel | undefined;
    private graph: GraphPanel | undefined;
    private readonly trajectories: TrajectoryPanels | undefined;

    /** Registers the serializers into `scope`; the panels themselves are disposed by `dispose` (also in `scope`). */
    constructor(
        private readonly ctx: PanelContext,
        scope: DisposableScope,
        workers?: TrajectoryWorkers,
    ) {
        scope.push(this);
        scope.push(
            vscode.window.registerWebviewPanelSerializer(DASHBOARD_VIEW_TYPE, {
                deserializeWebviewPanel: async (panel, state: unknown) => {
                    this.dashboard?.dispose();
                    this.dashboard = new DashboardPanel(panel, this.dashboardDeps(), parseDashboardState(state));
                },
            }),
        );
        scope.push(
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
        if (!workers) return;
        const trajectories = new TrajectoryPanels(ctx, workers.reader, workers.critic);
        this.trajectories = trajectories;
        scope.push(
            vscode.window.registerWebviewPanelSerializer(TRAJECTORY_VIEW_TYPE, {
                deserializeWebviewPanel: async (panel, state: unknown) => {
                    const root = (state as { root?: unknown } | undefined)?.root;
                    if (typeof root === 'string') trajectories.show(root, panel);
                    else panel.dispose();
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

    /**
     * "Compare in Dashboard" on a Runs view row: the run is overlaid on the run the dashboard shows (one more
     * comparison run, as Compare With… adds one); with no dashboard, or one showing no run, the dashboard opens on it.
     * Throws with the reason when the folder is not a run or no more runs can be overlaid.
     */
    compareInDashboard(runDir: string): { primary: string | null; compare: string[] } {
        const open = this.dashboard;
        let dashboard: DashboardPanel;
        if (open?.feed.runDir('primary')) {
            const problem = open.showRun(runDir, 'compare');
            if (problem) throw new Error(problem);
            open.reveal();
            dashboard = open;
        } else {
            dashboard = this.showDashboard(runDir);
        }
        const state = dashboard.feed.state();
        return { primary: state.primaryRunDir, compare: state.compareRunDirs };
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

    /** Opens (or reveals) the trajectory view of the run directory `root`. */
    showTrajectories(root: string): void {
        this.trajectories?.show(root);
    }

    /** "Debug this Rollout" from a trajectory view's context menu (its `data-vscode-context`). */
    async debugRolloutInView(context: unknown): Promise<unknown> {
        return (await this.trajectories?.debugFromContext(context)) ?? { unavailable: 'no trajectory view is open' };
    }

    /** The debugger stopped on a turn: the run's trajectory view follows it. */
    followTurn(body: TurnEventBody): void {
        this.trajectories?.follow(body);
    }

    /** A debug session on `runDir` ended: its view stops saying "(debugger)". */
    debugEnded(runDir: string): void {
        this.trajectories?.debugEnded(runDir);
    }

    dispose(): void {
        this.dashboard?.dispose();
        this.graph?.dispose();
        this.trajectories?.dispose();
    }

    private log(message: string): void {
        this.ctx.output.appendLine(message);
    }

    private dashboardDeps(): DashboardDeps {
        return {
            extensionUri: this.ctx.extension.extensionUri,
            log: (m) => this.log(m),
            followers: this.ctx.followers,
            openStep: (runDir, step) => this.trajectories?.openStep(runDir, step),
            onDispose: () => {
                this.dashboard = undefined;
            },
        };
    }

    private graphDeps(): GraphDeps {
        return {
            extensionUri: this.ctx.extension.extensionUri,
            log: (m) => this.log(m),
            requestGraph: (uri) => this.ctx.requestGraph(uri),
            onDispose: () => {
                this.graph = undefined;
            },
        };
    }
}
