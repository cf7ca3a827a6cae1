import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunReader } from '../../../../analysis/run-dir/service.js';
import type { CompileResult } from '../../../../protocol/lsp.js';
import type { RunSpec } from '../../../../protocol/run-spec.js';
import { gotoTurnInDebugger } from '../../debug/register.js';
import { debugRollout, type RolloutDebugResult } from '../../debug/rollout-debug.js';
import type { TurnEventBody } from '../../debug/trajectory-session.js';
import type { OnnxCriticScorer } from '../../onnx/critic-scorer.js';
import { TRAJECTORY_VIEW_TYPE, TrajectoryPanel } from './trajectory-panel.js';
import { currentRubric } from './rubric-source.js';
import { rescoreWithTrainer, type TrainerPython } from './trainer-rescore-progress.js';

/** What the trajectory views need from the extension (MasContext has all of it). */
export interface TrajectoryHostContext {
    extension: vscode.ExtensionContext;
    output: vscode.OutputChannel;
    compile(uri: string): Promise<CompileResult>;
    /** The trainer's interpreter, for re-scoring rubrics that call Python verifiers (absent in some tests). */
    readonly training?: { readonly python: TrainerPython };
}

/** The open trajectory views, one per run directory. */
export class TrajectoryPanels implements vscode.Disposable {
    private readonly panels = new Map<string, TrajectoryPanel>();

    constructor(
        private readonly ctx: TrajectoryHostContext,
        private readonly reader: RunReader,
        private readonly critic: OnnxCriticScorer,
    ) {}

    show(root: string, existing?: vscode.WebviewPanel): TrajectoryPanel {
        const open = this.panels.get(root);
        if (open && !existing) {
            open.reveal();
            return open;
        }
        const panel =
            existing ??
            vscode.window.createWebviewPanel(
                TRAJECTORY_VIEW_TYPE,
                `Trajectories: ${path.basename(root)}`,
                vscode.ViewColumn.Beside,
            );
        const training = this.ctx.training;
        const view = new TrajectoryPanel(
            panel,
            root,
            {
                extensionUri: this.ctx.extension.extensionUri,
                reader: this.reader,
                critic: this.critic,
                loadRubric: (index) => currentRubric((uri) => this.ctx.compile(uri), index),
                ...(training
                    ? {
                          trainerRescore: (runDir: string, spec: RunSpec) =>
                              rescoreWithTrainer(training.python, runDir, spec, (line) =>
                                  this.ctx.output.appendLine(line),
                              ),
                      }
                    : {}),
                onFocus: (_step, _rollout, turn) => void gotoTurnInDebugger(root, turn),
                onDebugRollout: (step, rollout) => debugRollout(root, step, rollout),
                log: (line) => this.ctx.output.appendLine(line),
            },
            () => this.panels.delete(root),
        );
        this.panels.set(root, view);
        return view;
    }

    /** The debugger stopped: open (or reveal) the run's view and move it to the turn. */
    follow(body: TurnEventBody): void {
        const view = this.panels.get(body.runDir) ?? this.show(body.runDir);
        void view.controller.follow(body.step, body.rollout, body.turn, true);
    }

    /** Opens (or reveals) the run's view at the first rollout of `step` (a click on a dashboard chart). */
    openStep(root: string, step: number): void {
        const view = this.panels.get(root) ?? this.show(root);
        view.reveal();
        void view.controller.openStep(step);
    }

    /**
     * "Debug this Rollout" from a view's context menu. The context comes from the page (untrusted): it names a run
     * only by the root of a view this window opened, and whole step and rollout numbers.
     */
    async debugFromContext(context: unknown): Promise<RolloutDebugResult | { unavailable: string }> {
        const c = (typeof context === 'object' && context !== null ? context : {}) as Record<string, unknown>;
        const root = c['runDir'];
        const index = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
        if (typeof root !== 'string' || !this.panels.has(root) || !index(c['step']) || !index(c['rollout'])) {
            const reason = 'MAS: right-click a rollout in an open trajectory view to debug it.';
            void vscode.window.showWarningMessage(reason);
            return { unavailable: reason };
        }
        const result = await debugRollout(root, c['step'], c['rollout']);
        if (result.error) void vscode.window.showWarningMessage(result.error);
        return result;
    }

    /** The debug session on `runDir` ended. */
    debugEnded(runDir: string): void {
        this.panels.get(runDir)?.controller.debugEnded();
    }

    dispose(): void {
        for (const view of [...this.panels.values()]) view.dispose();
        this.panels.clear();
    }
}
