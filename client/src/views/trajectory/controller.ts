import { mergeAggregates } from '../../../../analysis/run-dir/aggregate.js';
import { withOutput } from '../../../../analysis/run-dir/edited-turns.js';
import type { RescoreSettings } from '../../../../analysis/run-dir/rescore.js';
import type { TrainerScores } from '../../../../analysis/run-dir/rescore-stream.js';
import { rubricNeedsTrainer } from '../../../../analysis/run-dir/rubric-needs-trainer.js';
import type { RunIndex } from '../../../../analysis/run-dir/run-index.js';
import type { RunReader } from '../../../../analysis/run-dir/service.js';
import { runHeads, StepRolloutsCache } from '../../../../analysis/run-dir/step-pages.js';
import {
    declaredAgents,
    frozenAgents,
    groupView,
    rolloutView,
    summarizeRunFields,
} from '../../../../analysis/run-dir/view-model.js';
import type { TrajectoryRecord } from '../../../../protocol/run-dir.js';
import type { RewardSpec, RunSpec } from '../../../../protocol/run-spec.js';
import type { TrajectoryToHost, TrajectoryToView, WhatIfResult } from '../../../../protocol/trajectory-messages.js';

/** Critic credit for a transcript (client/src/onnx): per decision, or a reason it is unavailable. */
export interface CriticScorer {
    available(root: string): Promise<boolean>;
    credit(root: string, record: TrajectoryRecord, level: RewardSpec['level']): Promise<number[]>;
    /** The training step at which critic.onnx was exported. */
    exportedStep(root: string): Promise<number>;
}

/** The rubric to re-score with, where it came from, and the compiled workflow it belongs to (for the trainer). */
export type RubricSource = Omit<RescoreSettings, 'method' | 'params' | 'trainer'> & { spec?: RunSpec };

export interface ControllerOptions {
    reader: RunReader;
    root: string;
    post: (message: TrajectoryToView) => void;
    critic?: CriticScorer;
    /** The rubric of the workflow's .mas file as it is now (compiled by the language server). */
    loadRubric?: (index: RunIndex) => Promise<RubricSource>;
    /**
     * Scores the run's rollouts with `spec`'s reward through the trainer's `rescore` (the configured Python, with
     * progress and cancel): for a rubric the editor cannot score itself (Python verifiers). Rejects when cancelled.
     */
    trainerRescore?: (root: string, spec: RunSpec) => Promise<TrainerScores>;
    /** The user stepped in the view. */
    onFocus?: (step: number, rollout: number, turn: number) => void;
    /** "Debug this rollout": start the debugger there (client/src/debug/rollout-debug.ts); says why it could not. */
    onDebugRollout?: (step: number, rollout: number) => Promise<{ error?: string }>;
    log?: (line: string) => void;
}

/**
 * Answers the trajectory view: everything it shows is computed here (analysis/) from what the reader returns.
 * Rubric scoring (what-if, re-score) is asked of the reader, which in the extension is a worker thread with a
 * deadline per call: this module never evaluates an expression (test/client/trajectory-controller-scoring.test.ts
 * checks that no evaluator is bundled with it). Free of vscode so that tests and the debug adapter drive it directly.
 */
export class TrajectoryController {
    private index: RunIndex | undefined;
    /** Where the debugger last stopped: sent again after every `ready` (a view that is still loading drops messages). */
    private debuggerFocus: Extract<TrajectoryToView, { type: 'trajectory/focus' }> | undefined;
    /** A step opened from the dashboard while the view may still be loading: sent again once, after `ready`. */
    private openedStep: Extract<TrajectoryToView, { type: 'trajectory/focus' }> | undefined;
    /** Steps' rollouts the view asked for (`trajectory/stepRollouts`); emptied whenever the run is indexed again. */
    private readonly stepRollouts = new StepRolloutsCache();

    constructor(private readonly options: ControllerOptions) {}

    get root(): string {
        return this.options.root;
    }

    async handle(message: TrajectoryToHost): Promise<void> {
        try {
            await this.dispatch(message);
        } catch (error) {
            const text = error instanceof Error ? error.message : String(error);
            this.options.log?.(`trajectory view: ${text}`);
            this.options.post({ type: 'trajectory/notice', severity: 'error', message: text });
        }
    }

    /** The debugger moved: make the view follow. */
    async follow(step: number, rollout: number, turn: number, debugging: boolean): Promise<void> {
        const focus = { type: 'trajectory/focus' as const, step, rollout, turn, debugging };
        this.debuggerFocus = debugging ? focus : undefined;
        this.options.post(focus);
    }

    /**
     * Moves the view to the first rollout of `step` (a click on a dashboard chart); a step with no recorded
     * trajectories says so instead.
     */
    async openStep(step: number): Promise<void> {
        const entry = (await this.currentIndex()).steps.find((s) => s.step === step);
        const first = entry?.rollouts[0];
        if (!first) {
            this.options.post({
                type: 'trajectory/notice',
                severity: 'info',
                message: `Step ${step} has no recorded trajectories in this run.`,
            });
            return;
        }
        await this.follow(step, first.rollout, 0, false);
        this.openedStep = { type: 'trajectory/focus', step, rollout: first.rollout, turn: 0, debugging: false };
    }

    /** The debug session ended: the view stays at its turn but no longer says "(debugger)" (first-hour bug B13). */
    debugEnded(): void {
        if (!this.debuggerFocus) return;
        const focus = { ...this.debuggerFocus, debugging: false };
        this.debuggerFocus = undefined;
        this.options.post(focus);
    }

    private async currentIndex(): Promise<RunIndex> {
        this.index ??= await this.options.reader.index(this.options.root);
        return this.index;
    }

    private async dispatch(message: TrajectoryToHost): Promise<void> {
        const post = this.options.post;
        switch (message.type) {
            case 'ready': {
                this.index = await this.options.reader.index(this.options.root);
                this.stepRollouts.clear();
                const hasCritic = (await this.options.critic?.available(this.options.root)) ?? false;
                post({ type: 'trajectory/run', run: runHeads(this.index, summarizeRunFields(this.index, hasCritic)) });
                const again = this.debuggerFocus ?? this.openedStep;
                this.openedStep = undefined;
                if (again) post(again);
                return;
            }
            case 'trajectory/openRollout': {
                const record = await this.options.reader.rollout(this.options.root, message.step, message.rollout);
                post({ type: 'trajectory/rollout', view: rolloutView(await this.currentIndex(), record) });
                return;
            }
            case 'trajectory/openGroup':
                post({
                    type: 'trajectory/group',
                    view: groupView(await this.currentIndex(), message.step, message.group),
                });
                return;
            case 'trajectory/stepHeatmap': {
                const index = await this.currentIndex();
                const step = index.steps.find((s) => s.step === message.step);
                post({
                    type: 'trajectory/stepHeatmap',
                    step: message.step,
                    method: message.method,
                    grid: mergeAggregates(
                        [step?.aggregates[message.method]],
                        declaredAgents(index),
                        frozenAgents(index),
                    ),
                });
                return;
            }
            case 'trajectory/stepRollouts': {
                const rollouts = this.stepRollouts.get(await this.currentIndex(), message.step);
                post({ type: 'trajectory/stepRollouts', step: message.step, rollouts });
                return;
            }
            case 'trajectory/focusTurn':
                this.options.onFocus?.(message.step, message.rollout, message.turn);
                return;
            case 'trajectory/debugRollout': {
                const result = this.options.onDebugRollout
                    ? await this.options.onDebugRollout(message.step, message.rollout)
                    : { error: 'Debugging a rollout needs the MAS Studio extension in VS Code.' };
                if (result.error) post({ type: 'trajectory/notice', severity: 'warning', message: result.error });
                return;
            }
            case 'trajectory/whatIf':
                post({
                    type: 'trajectory/whatIf',
                    result: await this.whatIf(message.step, message.rollout, message.turn, message.output),
                });
                return;
            case 'trajectory/rescore':
                try {
                    await this.rescore();
                } catch (error) {
                    const text = error instanceof Error ? error.message : String(error);
                    this.options.log?.(`trajectory view: re-score: ${text}`);
                    post({ type: 'trajectory/rescoreFailed', message: text });
                }
                return;
        }
    }

    async whatIf(step: number, rollout: number, turn: number, output: string): Promise<WhatIfResult> {
        const index = await this.currentIndex();
        const { before, after } = await this.options.reader.whatIf(this.options.root, step, rollout, turn, output);
        const level = index.run.spec.reward.level;
        let critic: WhatIfResult['critic'] = null;
        if (this.options.critic && (await this.options.critic.available(this.options.root))) {
            const record = await this.options.reader.rollout(this.options.root, step, rollout);
            const edited = withOutput(record.turns, turn, output);
            try {
                critic = {
                    before: await this.options.critic.credit(this.options.root, record, level),
                    // Recorded rewards stay: the what-if changes what the critic reads, the rubric part is shown above.
                    after: await this.options.critic.credit(this.options.root, { ...record, turns: edited }, level),
                    criticStep: await this.options.critic.exportedStep(this.options.root),
                };
            } catch (error) {
                critic = { error: error instanceof Error ? error.message : String(error) };
            }
        }
        return { step, rollout, turn, before, after, critic };
    }

    private async rescore(): Promise<void> {
        if (!this.options.loadRubric)
            throw new Error(
                "Re-scoring needs the workflow's .mas file open in a workspace with the language server running.",
            );
        const index = await this.currentIndex();
        const { spec, ...source } = await this.options.loadRubric(index);
        const { method, params } = index.run.spec.train.credit;
        let trainer: TrainerScores | undefined;
        if (rubricNeedsTrainer(source.rubric)) {
            if (!this.options.trainerRescore || !spec)
                throw new Error(
                    `The rubric '${source.rubric.name}' calls Python verifiers, which only the trainer's Python can run; re-score it in VS Code with a trainer interpreter set up ("MAS: Select Python Interpreter"), or with \`mas rescore\`.`,
                );
            trainer = await this.options.trainerRescore(this.options.root, spec);
        }
        this.options.post({
            type: 'trajectory/rescore',
            result: await this.options.reader.rescore(this.options.root, {
                ...source,
                method,
                params,
                ...(trainer ? { trainer } : {}),
            }),
        });
    }
}
