import type { TrajectoryRecord, TurnRecord } from './run-dir.js';

/**
 * Messages between the extension host and the trajectory view (webview/trajectory). Same handshake as the other
 * views (protocol/webview-messages.ts): the view posts `ready`, then the host sends the run. All numbers the view
 * draws are computed on the host (analysis/): the view renders and sends user intents.
 */

export interface RolloutSummary {
    rollout: number;
    group: number;
    sample: number;
    parent: number | null;
    reward: number;
    success: boolean;
    turns: number;
}

export interface StepSummary {
    step: number;
    rollouts: RolloutSummary[];
    /** Mean reward of the step's rollouts (NaN when it has none): the step list shows it per step. */
    meanReward: number;
    /** Share of the step's rollouts that succeeded, 0–1 (NaN when it has none). */
    successRate: number;
}

/**
 * What the step list shows of one step, without its rollouts: the open message carries one of these per step and the
 * rollouts of the opened step only; the view asks for another step's rollouts with `trajectory/stepRollouts`.
 */
export interface StepHead {
    step: number;
    /** How many rollouts the step recorded. */
    rolloutCount: number;
    /** Mean reward of the step's rollouts (NaN when it has none). */
    meanReward: number;
    /** Share of the step's rollouts that succeeded, 0–1 (NaN when it has none). */
    successRate: number;
}

/** Largest step number a `trajectory/stepRollouts` request may name (a step is a JSON line's integer). */
export const MAX_STEP_NUMBER = Number.MAX_SAFE_INTEGER;

/**
 * The step of an untrusted `trajectory/stepRollouts` request (from the view) or reply (from the host), or undefined
 * when the message is not one: the step must be a non-negative safe integer.
 */
export function parseStepRolloutsStep(message: unknown): number | undefined {
    if (typeof message !== 'object' || message === null) return undefined;
    const m = message as { type?: unknown; step?: unknown };
    if (m.type !== 'trajectory/stepRollouts') return undefined;
    const step = m.step;
    if (typeof step !== 'number' || !Number.isSafeInteger(step) || step < 0 || step > MAX_STEP_NUMBER) return undefined;
    return step;
}

/** The rollouts of an untrusted `trajectory/stepRollouts` reply, checked field by field; undefined when malformed. */
export function parseStepRolloutsReply(message: unknown): { step: number; rollouts: RolloutSummary[] } | undefined {
    const step = parseStepRolloutsStep(message);
    const rollouts = (message as { rollouts?: unknown } | null)?.rollouts;
    if (step === undefined || !Array.isArray(rollouts)) return undefined;
    const parsed: RolloutSummary[] = [];
    for (const r of rollouts as unknown[]) {
        if (typeof r !== 'object' || r === null) return undefined;
        const o = r as Record<string, unknown>;
        const ints = [o['rollout'], o['group'], o['sample'], o['turns']];
        if (!ints.every((n) => typeof n === 'number' && Number.isSafeInteger(n))) return undefined;
        if (o['parent'] !== null && !(typeof o['parent'] === 'number' && Number.isSafeInteger(o['parent'])))
            return undefined;
        if (typeof o['reward'] !== 'number' || typeof o['success'] !== 'boolean') return undefined;
        parsed.push({
            rollout: o['rollout'] as number,
            group: o['group'] as number,
            sample: o['sample'] as number,
            parent: o['parent'] as number | null,
            reward: o['reward'],
            success: o['success'],
            turns: o['turns'] as number,
        });
    }
    return { step, rollouts: parsed };
}

/** The open message of a large run: step heads, and the rollouts of the opened step only. */
export interface RunHeads extends Omit<RunSummary, 'steps'> {
    steps: StepHead[];
    /** The step the view opens (the latest), with its rollouts; null when the run has no step yet. */
    opened: { step: number; rollouts: RolloutSummary[] } | null;
}

export interface RunSummary {
    root: string;
    /** The run directory's base name. */
    name: string;
    workflow: string;
    status: string;
    agents: string[];
    /** Credit methods recorded in this run, the training one first. */
    creditMethods: string[];
    steps: StepSummary[];
    /** Corrupt lines (`file:line: message`) skipped while reading; shown so nothing is lost silently. */
    issues: string[];
    /** Whether `critic.onnx` is present (what-if can recompute critic credit). */
    hasCritic: boolean;
    /** Agents whose model uses the character tokenizer (`vocab: chars`): their token ids decode to characters. */
    charAgents: string[];
    /** Each agent's share of the credit over the run per recorded estimator, and the lazy agent flagged. */
    agentSummary: AgentSummary;
}

/** One agent under one estimator, over the whole run (or the report's steps). */
export interface AgentCreditCell {
    /** Its decisions credited by this estimator. */
    decisions: number;
    /** Σ|credit| of its decisions ÷ Σ|credit| of every agent's; null when it did not act or all credit is 0. */
    share: number | null;
    /** Mean credit of its decisions; null when it did not act. */
    mean: number | null;
}

export interface AgentSummaryRow {
    agent: string;
    /** One cell per `AgentSummary.methods` entry, in that order. */
    cells: AgentCreditCell[];
    /** The flag's sentence (`lazy: 0 % of the credit under shapley, difference`); absent when not flagged. */
    lazy?: string;
    /** A frozen agent (`model: m frozen`): never trained, so it gets no training credit; its cells are empty, it is
     *  left out of the shares and never flagged. Absent: a trained agent. */
    frozen?: boolean;
}

/**
 * Per-agent run summary (analysis/run-dir/agent-summary.ts): an agent is flagged lazy when, under every recorded
 * estimator that separates agents by their counterfactual contribution (tree rollouts or nulled re-runs in the
 * credit registry: counterfactual, difference, shapley), its share of the credit is below `threshold` while at least
 * two agents act.
 */
export interface AgentSummary {
    /** The recorded estimators, the training one first (the columns). */
    methods: string[];
    /** Those of `methods` that separate agents by counterfactual contribution (the ones the flag reads). */
    separating: string[];
    /** Share under which an agent is flagged (0.05 = 5 %). */
    threshold: number;
    rows: AgentSummaryRow[];
    /** One sentence: who is flagged and why, or why nobody can be. */
    note: string;
}

/** An agents × columns grid of credits (NaN = the agent did not act there), drawn with a diverging scale. */
export interface HeatmapGrid {
    rows: string[];
    /** Column labels (turn indices). */
    columns: string[];
    /** Row-major, rows.length × columns.length; NaN where there is no decision. */
    values: Float64Array;
    /** Largest |value|, the scale's half-range (0 when all cells are empty or 0). */
    extent: number;
    /** Rows that are frozen agents: drawn greyed out and labelled `frozen`, with no colour scale (their cells are
     *  NaN: they get no training credit). Absent: none. */
    frozen?: string[];
}

export interface CriterionRow {
    name: string;
    weight: number;
    score: number;
    error?: string;
}

/** Spearman rank correlation between two estimators over the same decisions; null when undefined (ties only). */
export interface Agreement {
    a: string;
    b: string;
    rho: number | null;
    decisions: number;
}

/**
 * A chat turn's messages as the host checked them (analysis/run-dir/chat-messages.ts), or why they were ignored (the
 * turn is then shown raw). The view reads a turn's messages only from here, never from the record.
 */
export type TurnChat = { messages: NonNullable<TurnRecord['messages']> } | { ignored: string };

export interface RolloutView {
    step: number;
    /** The record as read; a chat turn's `messages` are moved to `chat`. */
    record: TrajectoryRecord;
    /** One entry per turn of `record` (null: a raw turn); absent when no turn of the rollout is a chat turn. */
    chat?: (TurnChat | null)[];
    rubric: { name: string; criteria: CriterionRow[] } | null;
    /** Per credit method: the rollout's agents × turns grid. */
    heatmaps: Record<string, HeatmapGrid>;
    /** Estimators compared over the decisions of the whole step (one rollout alone often has ties only). */
    agreement: Agreement[];
    /**
     * Set by a `mas report` written without `--tokens`: the turns' token ids and log-probabilities were left out
     * (their arrays are empty); these are their lengths, per turn.
     */
    tokenCounts?: number[];
}

export interface GroupMember extends RolloutSummary {
    /** Credit method → credit per decision. */
    credit: Record<string, number[]>;
    agents: string[];
    /** Reward-standardised advantage under `outcome` (first decision), when recorded. */
    advantage: number | null;
}

export interface GroupView {
    step: number;
    group: number;
    members: GroupMember[];
    /** True when any member has a parent: the group is a counterfactual tree. */
    tree: boolean;
}

export interface WhatIfResult {
    step: number;
    rollout: number;
    turn: number;
    before: { reward: number; criteria: CriterionRow[] };
    after: { reward: number; criteria: CriterionRow[] };
    /**
     * Critic credit per decision before/after, from the run's one `critic.onnx`: the critic as exported at
     * `criticStep` (the newest checkpoint), not as it was at `step` (first-hour bug B9: this was not said);
     * `error` says why it could not be recomputed.
     */
    critic: { before: number[]; after: number[]; criticStep: number } | { error: string } | null;
}

export interface RescoreRow {
    step: number;
    rollout: number;
    before: number;
    after: number;
    rankBefore: number;
    rankAfter: number;
    /** The training estimator's credit per decision, recorded and recomputed. */
    creditBefore: number[];
    creditAfter: number[];
}

export interface RescoreResult {
    rubric: string;
    source: string;
    rows: RescoreRow[];
    /** Agent → mean credit (training estimator) before/after, recomputed from the new rewards. */
    agentCredit: { agent: string; before: number; after: number }[];
    /** The estimator recomputed (the training one, or a rescorable one in its place: see `note`). */
    method: string;
    rankCorrelation: number | null;
    /** Why the recomputed estimator is not the training one. */
    note?: string;
}

export type TrajectoryToView =
    /** The open message: step heads and the latest step's rollouts; other steps' come by `trajectory/stepRollouts`. */
    | { type: 'trajectory/run'; run: RunHeads }
    | { type: 'trajectory/rollout'; view: RolloutView }
    | { type: 'trajectory/group'; view: GroupView }
    /** Step-level aggregate: mean credit per agent × turn index over the step's rollouts. */
    | { type: 'trajectory/stepHeatmap'; step: number; method: string; grid: HeatmapGrid }
    /** The debugger moved: show this turn (the view follows, it does not step on its own meanwhile). */
    | { type: 'trajectory/focus'; step: number; rollout: number; turn: number; debugging: boolean }
    | { type: 'trajectory/whatIf'; result: WhatIfResult }
    | { type: 'trajectory/rescore'; result: RescoreResult }
    /** Re-scoring failed: shown beside its button, not in the notices at the top of the page. */
    | { type: 'trajectory/rescoreFailed'; message: string }
    | { type: 'trajectory/notice'; severity: 'info' | 'warning' | 'error'; message: string }
    /** The rollouts of one step, answering the view's `trajectory/stepRollouts` (null: the run has no such step). */
    | { type: 'trajectory/stepRollouts'; step: number; rollouts: RolloutSummary[] | null };

export type TrajectoryToHost =
    | { type: 'ready' }
    | { type: 'trajectory/openRollout'; step: number; rollout: number }
    | { type: 'trajectory/openGroup'; step: number; group: number }
    | { type: 'trajectory/stepHeatmap'; step: number; method: string }
    /** The user stepped in the view (always allowed, also without a debug session). */
    | { type: 'trajectory/focusTurn'; step: number; rollout: number; turn: number }
    | { type: 'trajectory/whatIf'; step: number; rollout: number; turn: number; output: string }
    /** Re-score the run with the rubric currently in the workflow's .mas file. */
    | { type: 'trajectory/rescore' }
    /** "Debug this rollout": start the mas-trajectory debugger on this run, step and rollout. */
    | { type: 'trajectory/debugRollout'; step: number; rollout: number }
    /** The user opened a step whose rollouts the view does not have yet. */
    | { type: 'trajectory/stepRollouts'; step: number };

/** What the view keeps in `setState` to come back where it was after a reload. */
export interface TrajectoryState {
    view: 'trajectory';
    root: string;
    step: number | null;
    rollout: number | null;
    turn: number;
    method: string | null;
}
