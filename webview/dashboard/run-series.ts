import type { MetricsRecord } from '../../protocol/run-dir.js';
import { emaSmooth } from './chart-axis.js';

/**
 * The columns of one run's metrics, one value per step, built incrementally as records arrive. Map-valued
 * metrics (criteria, per-agent credit and grad norm) become one column each: `criteria/<name>`, ...
 * Every column has one entry per step; a metric missing from a record (a criterion added on resume, a
 * non-numeric value) is null there, which the chart draws as a gap.
 */
export class RunSeries {
    readonly steps: number[] = [];
    private readonly columns = new Map<string, (number | null)[]>();
    /** Bumped by every change, so a smoothed column is computed again only after its run changed. */
    private revision = 0;
    private readonly smoothedColumns = new Map<
        string,
        { revision: number; weight: number; values: readonly (number | null)[] }
    >();

    get length(): number {
        return this.steps.length;
    }

    column(key: string): readonly (number | null)[] | undefined {
        return this.columns.get(key);
    }

    /**
     * The column smoothed with TensorBoard's EMA of `weight` (the column itself at 0). Kept until the run changes:
     * a redraw caused by one live run does not smooth the other runs' columns again.
     */
    smoothed(key: string, weight: number): readonly (number | null)[] | undefined {
        const column = this.columns.get(key);
        if (!column || weight <= 0) return column;
        const kept = this.smoothedColumns.get(key);
        if (kept && kept.revision === this.revision && kept.weight === weight) return kept.values;
        const values = emaSmooth(column, weight);
        this.smoothedColumns.set(key, { revision: this.revision, weight, values });
        return values;
    }

    /** Column keys starting with `prefix`, in the order they first appeared. */
    keys(prefix = ''): string[] {
        return [...this.columns.keys()].filter((key) => key.startsWith(prefix));
    }

    /**
     * Appends a record. Steps only grow; a record whose step is not after the last one replaces the stored
     * steps from that step on (the trainer rewrote its tail on resume), so a step is never drawn twice.
     */
    append(record: MetricsRecord): void {
        if (typeof record.step !== 'number' || !Number.isFinite(record.step)) return;
        this.revision++;
        const last = this.steps[this.steps.length - 1];
        if (last !== undefined && record.step <= last) this.truncateFrom(record.step);
        const row = flatten(record);
        const index = this.steps.length;
        this.steps.push(record.step);
        for (const [key, value] of row) {
            let column = this.columns.get(key);
            if (!column) {
                column = new Array<number | null>(index).fill(null);
                this.columns.set(key, column);
            }
            column.push(value);
        }
        for (const column of this.columns.values()) if (column.length === index) column.push(null);
    }

    private truncateFrom(step: number): void {
        let keep = this.steps.length;
        while (keep > 0 && this.steps[keep - 1]! >= step) keep--;
        this.steps.length = keep;
        for (const column of this.columns.values()) column.length = keep;
    }
}

const SCALARS = [
    'time',
    'reward_mean',
    'reward_std',
    'success',
    'loss',
    'kl',
    'turns_mean',
    'rollout_tokens',
    'rollout_tokens_per_s',
    'update_tokens_per_s',
    'rollout_s',
    'update_s',
    'lr',
    'gpu_memory_mb',
    'frac_zero_std',
] as const satisfies readonly (keyof MetricsRecord)[];

const MAPS = ['criteria', 'credit_mean', 'grad_norm'] as const satisfies readonly (keyof MetricsRecord)[];

function numberOrNull(value: unknown): number | null {
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/** The record as `column key -> value`; fields of the wrong type count as missing (the file is untrusted). */
export function flatten(record: MetricsRecord): Map<string, number | null> {
    const row = new Map<string, number | null>();
    for (const key of SCALARS) row.set(key, numberOrNull(record[key]));
    for (const group of MAPS) {
        const values: unknown = record[group];
        if (typeof values !== 'object' || values === null || Array.isArray(values)) continue;
        for (const [name, value] of Object.entries(values)) row.set(`${group}/${name}`, numberOrNull(value));
    }
    return row;
}
