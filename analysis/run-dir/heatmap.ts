import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import type { HeatmapGrid } from '../../protocol/trajectory-messages.js';
import { ownValue } from './own-key.js';

function extentOf(values: Float64Array): number {
    let extent = 0;
    for (const v of values) if (!Number.isNaN(v)) extent = Math.max(extent, Math.abs(v));
    return extent;
}

/** Row order: the workflow's declaration order, then any agent only seen in the records. */
export function agentRows(declared: readonly string[], seen: Iterable<string>): string[] {
    // A Set, not rows.includes: linear in the agents, not quadratic (11 000 agents took minutes).
    const known = new Set(declared);
    const rows = [...known];
    for (const agent of seen)
        if (!known.has(agent)) {
            known.add(agent);
            rows.push(agent);
        }
    return rows;
}

/**
 * The agents × turns grid of one rollout under one credit method; NaN where the agent did not decide. Frozen agents
 * (`frozen`, from the spec, and any turn recorded with `frozen: true`) keep NaN cells and are listed in `frozen`: they
 * get no training credit, so the view greys their rows out instead of colouring them.
 */
export function rolloutHeatmap(
    record: TrajectoryRecord,
    method: string,
    declared: readonly string[],
    frozen: ReadonlySet<string> = new Set(),
): HeatmapGrid {
    const rows = agentRows(
        declared,
        record.turns.map((t) => t.agent),
    );
    const columns = record.turns.map((t) => String(t.index));
    const values = new Float64Array(rows.length * columns.length).fill(NaN);
    const credit = ownValue(record.credit, method) ?? [];
    const rowOf = new Map(rows.map((r, i) => [r, i]));
    const frozenAgents = new Set(frozen);
    for (const t of record.turns) if (t.frozen === true) frozenAgents.add(t.agent);
    record.decision_turns.forEach((turn, j) => {
        const agent = record.turns[turn]?.agent;
        const value = credit[j];
        if (agent === undefined || value === undefined || frozenAgents.has(agent)) return;
        values[rowOf.get(agent)! * columns.length + turn] = value;
    });
    return withFrozen({ rows, columns, values, extent: extentOf(values) }, frozenAgents);
}

/** The grid with its frozen rows listed (none: unchanged, no `frozen` key). */
export function withFrozen(grid: HeatmapGrid, frozen: ReadonlySet<string>): HeatmapGrid {
    const rows = grid.rows.filter((r) => frozen.has(r));
    return rows.length > 0 ? { ...grid, frozen: rows } : grid;
}
