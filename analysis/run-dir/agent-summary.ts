import { methodInfo } from '../../protocol/credit.js';
import type { AgentCreditCell, AgentSummary, AgentSummaryRow } from '../../protocol/trajectory-messages.js';
import { MAX_AGENTS_PER_RUN } from './limits.js';
import type { StepEntry } from './run-index.js';

/** An agent whose share of the credit is below this under every separating estimator is flagged lazy (5 %). */
export const LAZY_SHARE_THRESHOLD = 0.05;

/** Σ|credit|, Σcredit and the number of decisions of one agent under one estimator. */
interface Totals {
    abs: number;
    sum: number;
    count: number;
}

/** One step file's totals: per method, per agent of `agents` (in the order met), Σ|credit|, Σcredit and count. */
interface StepTotals {
    agents: string[];
    methods: Map<string, { abs: number[]; sum: number[]; count: number[] }>;
}

/**
 * Per-step totals, kept as long as the step entry lives: the run's summary is a merge of one small table per step (at
 * most MAX_AGENTS_PER_RUN agents × the step's methods). Summarising the same index again (a refresh in-process reuses
 * the entries of unchanged step files) sums only the new steps' decisions; an index that crossed a worker boundary is
 * a fresh copy and costs one pass over its indexed credit — never a re-read of the records. The step aggregates
 * (aggregate.ts) cannot stand in: they keep signed sums per agent × turn, and a share needs |credit|.
 */
const cache = new WeakMap<StepEntry, StepTotals>();

function stepTotals(step: StepEntry): StepTotals {
    const cached = cache.get(step);
    if (cached) return cached;
    const totals: StepTotals = { agents: [], methods: new Map() };
    const column = new Map<string, number>();
    const rows: number[] = [];
    for (const r of step.rollouts) {
        // The acting agent's column per decision, looked up once per rollout, not once per method.
        rows.length = 0;
        for (const turn of r.decisionTurns) {
            const agent = r.agents[turn];
            let k = agent === undefined ? -1 : column.get(agent);
            if (k === undefined) {
                column.set(agent!, (k = totals.agents.length));
                totals.agents.push(agent!);
            }
            rows.push(k);
        }
        for (const method of Object.keys(r.credit)) {
            const values = r.credit[method]!;
            let t = totals.methods.get(method);
            if (!t) totals.methods.set(method, (t = { abs: [], sum: [], count: [] }));
            for (let j = 0; j < rows.length && j < values.length; j++) {
                const k = rows[j]!,
                    value = values[j]!;
                if (k < 0 || !Number.isFinite(value)) continue;
                t.abs[k] = (t.abs[k] ?? 0) + Math.abs(value);
                t.sum[k] = (t.sum[k] ?? 0) + value;
                t.count[k] = (t.count[k] ?? 0) + 1;
            }
        }
    }
    cache.set(step, totals);
    return totals;
}

/** Whether the registry says this estimator separates agents by their counterfactual contribution (tree rollouts or
 *  re-runs with agents nulled: counterfactual, difference, shapley); unknown names do not. */
export function separatesAgents(method: string): boolean {
    const capabilities = methodInfo(method)?.capabilities;
    return capabilities !== undefined && (capabilities.needsNulledReruns || capabilities.needsTree);
}

/** A share as a percentage for sentences: `0`, `3.2`, `100` (one decimal at most; 1e-17 reads 0). */
export function percent(share: number): string {
    return String(Number((share * 100).toFixed(1)));
}

/** `a`, `a and b`, `a, b and c`. */
function list(names: readonly string[]): string {
    return names.length <= 1 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)!}`;
}

/** "lazy: 0 % of the credit under shapley, difference" (methods with the same rounded share named together). */
function flagText(shares: readonly { method: string; share: number }[]): string {
    const groups: { pct: string; methods: string[] }[] = [];
    for (const { method, share } of shares) {
        const pct = percent(share);
        const group = groups.find((g) => g.pct === pct);
        if (group) group.methods.push(method);
        else groups.push({ pct, methods: [method] });
    }
    return `lazy: ${groups.map((g, i) => `${g.pct} %${i === 0 ? ' of the credit' : ''} under ${g.methods.join(', ')}`).join('; ')}`;
}

/**
 * Each agent's share of the absolute credit over `steps` (Σ|credit| of its decisions ÷ Σ over every agent) and its
 * mean credit, per recorded estimator; an agent is flagged lazy when, under every recorded estimator that separates
 * agents (separatesAgents), it acts and its share is below `threshold`, while at least two agents act under each.
 * With no such estimator recorded nothing is flagged, and the note says what to record.
 *
 * `agents`: the declared agents (rows first, in this order; agents seen only in records follow, in the order met).
 * `methods`: the recorded estimators, the training one first (creditMethods in view-model.ts).
 * `frozen`: the frozen agents (`model: m frozen`); they get no training credit, so their cells stay empty, the shares
 * are those of the trained agents, and they are never flagged.
 */
export function agentSummary(
    steps: readonly StepEntry[],
    agents: readonly string[],
    methods: readonly string[],
    threshold = LAZY_SHARE_THRESHOLD,
    frozen: ReadonlySet<string> = new Set(),
): AgentSummary {
    const merged = new Map<string, Map<string, Totals>>(methods.map((m) => [m, new Map()]));
    const rows: string[] = [...new Set(agents)].slice(0, MAX_AGENTS_PER_RUN);
    const known = new Set(rows);
    for (const step of steps) {
        const totals = stepTotals(step);
        for (const [method, t] of totals.methods) {
            const into = merged.get(method);
            if (!into) continue;
            for (let k = 0; k < totals.agents.length; k++) {
                const count = t.count[k];
                if (!count) continue;
                const agent = totals.agents[k]!;
                if (frozen.has(agent)) continue; // no training credit: not in the shares, never flagged
                if (!known.has(agent)) {
                    if (rows.length >= MAX_AGENTS_PER_RUN) continue;
                    known.add(agent);
                    rows.push(agent);
                }
                const m = into.get(agent);
                if (m) {
                    m.abs += t.abs[k]!;
                    m.sum += t.sum[k]!;
                    m.count += count;
                } else into.set(agent, { abs: t.abs[k]!, sum: t.sum[k]!, count });
            }
        }
    }
    const columns = methods.map((method) => {
        const byAgent = merged.get(method)!;
        let total = 0,
            acting = 0;
        for (const t of byAgent.values()) {
            total += t.abs;
            if (t.count > 0) acting++;
        }
        const cells = rows.map((agent): AgentCreditCell => {
            const t = byAgent.get(agent);
            if (!t || t.count === 0) return { decisions: 0, share: null, mean: null };
            return { decisions: t.count, share: total > 0 ? t.abs / total : null, mean: t.sum / t.count };
        });
        return { method, total, acting, cells };
    });
    const separating = columns.filter((c) => separatesAgents(c.method) && c.acting > 0);
    const summaryRows: AgentSummaryRow[] = rows.map((agent, i) => ({
        agent,
        cells: columns.map((c) => c.cells[i]!),
        ...(frozen.has(agent) ? { frozen: true } : {}),
    }));
    const base = { methods: [...methods], separating: separating.map((c) => c.method), threshold, rows: summaryRows };

    if (separating.length === 0) {
        const recorded = columns.filter((c) => c.acting > 0).map((c) => c.method);
        const what = recorded.length > 0 ? `${list(recorded)} credit${recorded.length > 1 ? 's' : ''}` : 'no credit';
        return {
            ...base,
            note: `No agent is flagged: this run records ${what}, and no recorded estimator separates agents by their contribution. Record a counterfactual estimator to find a lazy agent: \`credit: shapley\` (or difference, counterfactual) or \`record_credit: all\` in the train block.`,
        };
    }
    const few = separating.filter((c) => c.acting < 2);
    if (few.length > 0)
        return {
            ...base,
            note: `No agent is flagged: fewer than two agents act under ${list(few.map((c) => c.method))}.`,
        };
    const flat = separating.filter((c) => c.total === 0);
    if (flat.length > 0)
        return {
            ...base,
            note: `No agent is flagged: every decision's credit is 0 under ${list(flat.map((c) => c.method))}, which separates no agent.`,
        };
    const flagged: string[] = [];
    summaryRows.forEach((row, i) => {
        const shares = separating.map((c) => ({ method: c.method, share: c.cells[i]!.share }));
        if (shares.every((s) => s.share !== null && s.share < threshold)) {
            row.lazy = flagText(shares as { method: string; share: number }[]);
            flagged.push(row.agent);
        }
    });
    const under = `under ${percent(threshold)} % of the credit under ${separating.length > 1 ? 'each of ' : ''}${list(base.separating)}`;
    return {
        ...base,
        note:
            flagged.length > 0
                ? `${list(flagged)} ${flagged.length > 1 ? 'are' : 'is'} flagged lazy: ${under}.`
                : `No agent is flagged: none gets ${under}.`,
    };
}
