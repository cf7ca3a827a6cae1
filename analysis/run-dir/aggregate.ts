import { withFrozen } from './heatmap.js';
import type { HeatmapGrid } from '../../protocol/trajectory-messages.js';
import type { AgentTable } from './agent-table.js';
import { agentRows } from './heatmap.js';
import { MAX_AGENTS_PER_RUN, MAX_TURNS_PER_ROLLOUT } from './limits.js';
import { ownValue } from './own-key.js';

/**
 * Credit sums and counts per (agent, turn index) of one step file, per credit method, accumulated while the file is
 * indexed: the run-level heatmap is then a merge of small per-step tables, not a pass over every decision. Sparse
 * (only the cells some decision fell in), so its size follows the data, never agents × turns.
 */
export interface StepAggregate {
    /** The rows this step uses, in the run's row order. */
    agents: string[];
    /** 1 + the largest turn index with a decision. */
    width: number;
    /** Flat [row, turn, sum, count] quadruples, row indexing `agents`, sorted by row then turn. */
    cells: number[];
}

export class AggregateBuilder {
    /** method → key → [sum, count], key = turn × MAX_AGENTS_PER_RUN + run row: distinct (row, turn) pairs never share
     *  a key, whatever the turn (the old row × 1 000 003 + turn merged row 0 turn 1 000 003 into row 1 turn 0). */
    private readonly byMethod = new Map<string, Map<number, [number, number]>>();

    constructor(private readonly table: AgentTable) {}

    /** One rollout's decisions; its agents must have been admitted to the table. */
    add(
        agents: readonly string[],
        decisionTurns: readonly number[],
        credit: Readonly<Record<string, readonly number[]>>,
    ): void {
        for (const method of Object.keys(credit)) {
            const values = credit[method]!;
            let cells = this.byMethod.get(method);
            if (!cells) this.byMethod.set(method, (cells = new Map()));
            for (let j = 0; j < decisionTurns.length && j < values.length; j++) {
                const turn = decisionTurns[j]!;
                const agent = agents[turn];
                const row = agent === undefined ? undefined : this.table.index(agent);
                if (row === undefined) continue;
                const key = turn * MAX_AGENTS_PER_RUN + row;
                const cell = cells.get(key);
                if (cell) {
                    cell[0] += values[j]!;
                    cell[1] += 1;
                } else cells.set(key, [values[j]!, 1]);
            }
        }
    }

    /** Null-prototype: a method named `constructor` or `__proto__` is a key like any other. */
    build(): Record<string, StepAggregate> {
        const out = Object.create(null) as Record<string, StepAggregate>;
        const names = this.table.rows();
        for (const [method, cells] of this.byMethod) {
            const entries = [...cells].map(([key, [sum, count]]) => ({
                row: key % MAX_AGENTS_PER_RUN,
                turn: Math.floor(key / MAX_AGENTS_PER_RUN),
                sum,
                count,
            }));
            entries.sort((a, b) => a.row - b.row || a.turn - b.turn);
            const localRow = new Map<number, number>();
            const agents: string[] = [],
                flat: number[] = [];
            let width = 0;
            for (const e of entries) {
                let local = localRow.get(e.row);
                if (local === undefined) {
                    localRow.set(e.row, (local = agents.length));
                    agents.push(names[e.row]!);
                }
                flat.push(local, e.turn, e.sum, e.count);
                width = Math.max(width, e.turn + 1);
            }
            out[method] = { agents, width, cells: flat };
        }
        return out;
    }
}

/** Mean credit per agent × turn index over several steps, merged from their aggregates. */
export function mergeAggregates(
    parts: readonly (StepAggregate | undefined)[],
    declared: readonly string[],
    frozen: ReadonlySet<string> = new Set(),
): HeatmapGrid {
    // Saved aggregates come from a cache file: anything not shaped like one is left out rather than trusted.
    const present = parts.filter(
        (p): p is StepAggregate => p !== undefined && Array.isArray(p.agents) && Array.isArray(p.cells),
    );
    const rows = agentRows(
        declared,
        present.flatMap((p) => p.agents),
    ).slice(0, MAX_AGENTS_PER_RUN);
    const width = Math.min(
        MAX_TURNS_PER_ROLLOUT,
        present.reduce((w, p) => Math.max(w, Number(p.width) || 0), 0),
    );
    const sums = new Float64Array(rows.length * width),
        counts = new Float64Array(rows.length * width);
    const rowOf = new Map(rows.map((r, i) => [r, i]));
    for (const part of present) {
        const cells = part.cells;
        for (let k = 0; k + 3 < cells.length; k += 4) {
            const row = rowOf.get(part.agents[cells[k]!]!),
                turn = cells[k + 1]!;
            if (row === undefined || !(turn >= 0 && turn < width)) continue;
            sums[row * width + turn] += cells[k + 2]!;
            counts[row * width + turn] += cells[k + 3]!;
        }
    }
    // A frozen agent's row stays empty: it gets no training credit (withFrozen lists it for the greyed-out row).
    const frozenRow = rows.map((r) => frozen.has(r));
    const values = sums.map((s, i) => (counts[i] && !frozenRow[Math.floor(i / width)] ? s / counts[i]! : NaN));
    let extent = 0;
    for (const v of values) if (!Number.isNaN(v)) extent = Math.max(extent, Math.abs(v));
    return withFrozen({ rows, columns: Array.from({ length: width }, (_, i) => String(i)), values, extent }, frozen);
}

/** The aggregate of one method, if the step has one (an own key: `toString` is not a method unless recorded). */
export function aggregateOf(
    aggregates: Readonly<Record<string, StepAggregate>>,
    method: string,
): StepAggregate | undefined {
    return ownValue(aggregates, method);
}
