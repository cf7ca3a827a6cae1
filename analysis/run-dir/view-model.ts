import { CreditMethod } from '../../protocol/credit.js';
import type { TrajectoryRecord, TurnRecord } from '../../protocol/run-dir.js';
import type { RubricSpec } from '../../protocol/run-spec.js';
import type {
    Agreement,
    CriterionRow,
    GroupView,
    RolloutView,
    RunSummary,
} from '../../protocol/trajectory-messages.js';
import { agentSummary, LAZY_SHARE_THRESHOLD } from './agent-summary.js';
import { rolloutChat } from './chat-messages.js';
import { rolloutHeatmap } from './heatmap.js';
import { ownValue } from './own-key.js';
import { spearman } from './rank.js';
import { formatIssue, type RolloutEntry, type RunIndex } from './run-index.js';

/** Credit methods present in the run, the training estimator first. */
export function creditMethods(index: RunIndex): string[] {
    const seen = new Set<string>([index.run.spec.train.credit.method]);
    for (const step of index.steps) for (const r of step.rollouts) for (const m of Object.keys(r.credit)) seen.add(m);
    const present = [...seen].filter((m) =>
        index.steps.some((s) => s.rollouts.some((r) => Object.hasOwn(r.credit, m))),
    );
    return present.length > 0 ? present : [index.run.spec.train.credit.method];
}

export function rewardRubric(index: RunIndex): RubricSpec | undefined {
    return index.run.spec.rubrics.find((r) => r.name === index.run.spec.reward.rubric);
}

export function declaredAgents(index: RunIndex): string[] {
    return index.run.spec.agents.map((a) => a.name);
}

/** The agents the spec declares frozen (`model: m frozen`): their rows are greyed out, they get no training credit. */
export function frozenAgents(index: RunIndex): Set<string> {
    // run.json is untrusted: only a literal `true` counts.
    return new Set(index.run.spec.agents.filter((a) => (a as { frozen?: unknown }).frozen === true).map((a) => a.name));
}

/** Agents whose model is a scratch model with the character vocabulary (the token strip decodes their ids). */
function charAgents(index: RunIndex): string[] {
    const chars = new Set(
        index.run.spec.models
            .filter((m) => m.source.kind === 'scratch' && m.source.vocab === 'chars')
            .map((m) => m.name),
    );
    return index.run.spec.agents.filter((a) => chars.has(a.model)).map((a) => a.name);
}

/** Everything of the run summary except its steps (the paged open message, step-pages.ts, adds step heads). */
export function summarizeRunFields(index: RunIndex, hasCritic: boolean): Omit<RunSummary, 'steps'> {
    const name = index.root.split(/[\\/]/).filter(Boolean).pop() ?? index.root;
    const agents = declaredAgents(index);
    const methods = creditMethods(index);
    return {
        root: index.root,
        name,
        workflow: index.run.workflow,
        status: index.run.status,
        agents,
        creditMethods: methods,
        hasCritic,
        charAgents: charAgents(index),
        agentSummary: agentSummary(index.steps, agents, methods, LAZY_SHARE_THRESHOLD, frozenAgents(index)),
        issues: index.issues.map(formatIssue),
    };
}

export function summarizeRun(index: RunIndex, hasCritic: boolean): RunSummary {
    return {
        ...summarizeRunFields(index, hasCritic),
        steps: index.steps.map((s) => ({
            step: s.step,
            meanReward: s.rollouts.reduce((sum, r) => sum + r.reward, 0) / s.rollouts.length,
            successRate: s.rollouts.filter((r) => r.success).length / s.rollouts.length,
            rollouts: s.rollouts.map((r) => ({
                rollout: r.rollout,
                group: r.group,
                sample: r.sample,
                parent: r.parent,
                reward: r.reward,
                success: r.success,
                turns: r.agents.length,
            })),
        })),
    };
}

/** The recorded criterion scores with the rubric's weights (the trainer records scores, the spec has weights). */
export function recordedCriteria(record: TrajectoryRecord, rubric: RubricSpec | undefined): CriterionRow[] {
    const weights = new Map(rubric?.criteria.map((c) => [c.name, c.weight]) ?? []);
    return Object.entries(record.criteria).map(([name, score]) => {
        const row: CriterionRow = { name, weight: weights.get(name) ?? NaN, score };
        const error = record.criteria_errors ? ownValue(record.criteria_errors, name) : undefined;
        if (error) row.error = error;
        return row;
    });
}

/** Every pair of methods, rank-correlated over all decisions of the given rollouts that both methods credit. */
export function agreement(entries: readonly RolloutEntry[], methods: readonly string[]): Agreement[] {
    const pairs: Agreement[] = [];
    for (let i = 0; i < methods.length; i++) {
        for (let k = i + 1; k < methods.length; k++) {
            const a: number[] = [],
                b: number[] = [];
            for (const entry of entries) {
                const ca = ownValue(entry.credit, methods[i]!),
                    cb = ownValue(entry.credit, methods[k]!);
                if (!ca || !cb || ca.length !== cb.length) continue;
                a.push(...ca);
                b.push(...cb);
            }
            pairs.push({ a: methods[i]!, b: methods[k]!, rho: spearman(a, b), decisions: a.length });
        }
    }
    return pairs;
}

function withoutMessages(turn: TurnRecord): TurnRecord {
    const copy = { ...turn };
    delete copy.messages;
    return copy;
}

/**
 * `known`: the run's methods and the step's agreement when the caller already has them (they are the same for every
 * rollout of a step; recomputing both per rollout is quadratic in the run's size when a whole run is viewed).
 */
export function rolloutView(
    index: RunIndex,
    record: TrajectoryRecord,
    known?: { methods: string[]; agreement: Agreement[] },
): RolloutView {
    const methods = known?.methods ?? creditMethods(index);
    const agents = declaredAgents(index);
    const frozen = frozenAgents(index);
    const rubric = rewardRubric(index);
    const stepEntries = index.steps.find((s) => s.step === record.step)?.rollouts ?? [];
    // Checked once here; the view reads messages only from `chat` (the record's copy is unchecked file content).
    const chat = rolloutChat(record.turns);
    return {
        step: record.step,
        record: chat ? { ...record, turns: record.turns.map(withoutMessages) } : record,
        ...(chat ? { chat } : {}),
        rubric: { name: rubric?.name ?? index.run.spec.reward.rubric, criteria: recordedCriteria(record, rubric) },
        heatmaps: Object.fromEntries(methods.map((m) => [m, rolloutHeatmap(record, m, agents, frozen)])),
        agreement: known?.agreement ?? agreement(stepEntries, methods),
    };
}

export function groupView(index: RunIndex, step: number, group: number): GroupView {
    const entries = index.steps.find((s) => s.step === step)?.rollouts.filter((r) => r.group === group) ?? [];
    return {
        step,
        group,
        tree: entries.some((e) => e.parent !== null),
        members: entries.map((e) => ({
            rollout: e.rollout,
            group: e.group,
            sample: e.sample,
            parent: e.parent,
            reward: e.reward,
            success: e.success,
            turns: e.agents.length,
            credit: e.credit,
            agents: e.agents,
            advantage: ownValue(e.credit, CreditMethod.outcome)?.[0] ?? null,
        })),
    };
}
