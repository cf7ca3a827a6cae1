import type { HeatmapGrid } from '../../protocol/trajectory-messages.js';
import { agentRows } from './heatmap.js';

/**
 * Credit sums and counts per (agent, turn index) of one step file, per credit method, accumulated while the file is
 * indexed: the run-level heatmap is then a merge of small per-step tables, not a pass over every decision.
 */
export interface StepAggregate {
    agents: string[];
    width: number;
    /** Row-major agents.length × width. */
    sums: number[];
    counts: number[];
}

export class AggregateBuilder {
    private readonly byMethod = new Map<string, { rowOf: Map<string, number>; cells: Map<number, [number, number]>; width: number }>();

    add(agents: readonly string[], decisionTurns: readonly number[], credit: Readonly<Record<string, readonly number[]>>): void {
        for (const method of Object.keys(credit)) {
            const values = credit[method]!;
            let table = this.byMethod.get(method);
            if (!table) this.byMethod.set(method, table = { rowOf: new Map(), cells: new Map(), width: 0 });
            for (let j = 0; j < decisionTurns.length && j < values.length; j++) {
                const turn = decisionTurns[j]!;
                const agent = agents[turn];
                if (agent === undefined) continue;
                let row = table.rowOf.get(agent);
                if (row === undefined) table.rowOf.set(agent, row = table.rowOf.size);
                table.width = Math.max(table.width, turn + 1);
                const key = row * 1_000_003 + turn; // rows and turns stay far below 1e6 per step
                const cell = table.cells.get(key);
                if (cell) { cell[0] += values[j]!; cell[1] += 1; } else table.cells.set(key, [values[j]!, 1]);
            }
        }
    }

    build(): Record<string, StepAggregate> {
        const out: Record<string, StepAggregate> = {};
        for (const [method, table] of this.byMethod) {
            const agents = [...table.rowOf.keys()];
            const sums = new Array<number>(agents.length * table.width).fill(0);
            const counts = new Array<number>(agents.length * table.width).fill(0);
            for (const [key, [sum, count]] of table.cells) {
                const row = Math.floor(key / 1_000_003), turn = key % 1_000_003;
                sums[row * table.width + turn] = sum;
                counts[row * table.width + turn] = count;
            }
            out[method] = { agents, width: table.width, sums, counts };
        }
        return out;
    }
}

/** Mean credit per agent × turn index over several steps, merged from their aggregates. */
export function mergeAggregates(parts: readonly (StepAggregate | undefined)[], declared: readonly string[]): HeatmapGrid {
    const present = parts.filter((p): p is StepAggregate => p !== undefined);
    const rows = agentRows(declared, present.flatMap(p => p.agents));
    const width = present.reduce((w, p) => Math.max(w, p.width), 0);
    const sums = new Float64Array(rows.length * width), counts = new Float64Array(rows.length * width);
    const rowOf = new Map(rows.map((r, i) => [r, i]));
    for (const part of present) {
        part.agents.forEach((agent, r) => {
            const row = rowOf.get(agent)!;
            for (let t = 0; t < part.width; t++) {
                sums[row * width + t] += part.sums[r * part.width + t]!;
                counts[row * width + t] += part.counts[r * part.width + t]!;
            }
        });
    }
    const values = sums.map((s, i) => (counts[i] ? s / counts[i]! : NaN));
    let extent = 0;
    for (const v of values) if (!Number.isNaN(v)) extent = Math.max(extent, Math.abs(v));
    return { rows, columns: Array.from({ length: width }, (_, i) => String(i)), values, extent };
}
