import type { DashboardRunInfo, DashboardSlot } from '../../protocol/webview-messages.js';
import { clip } from '../common/dom.js';
import type { ShownRun } from './charts-model.js';
import { creditMethod } from './config-diff.js';
import { RunSeries } from './run-series.js';

/** Run names in legends and CSV rows are clipped to this (a folder name can be anything). */
const MAX_NAME_CHARS = 48;

/** A run the view shows: what the host said about it, its records, and the colour it keeps while shown. */
export interface RunEntry {
    info: DashboardRunInfo;
    series: RunSeries;
    colour: number;
}

/**
 * The runs the dashboard shows: the main run and the comparison runs in the order they were added. Each keeps its
 * palette colour until removed (the main run 0, a comparison run the lowest free one), so removing one run recolours
 * no other; names are made unique (`a`, `a #2`) so legends, hidden series and CSV rows never mix two runs.
 */
export class ShownRuns {
    private readonly entries = new Map<DashboardSlot, RunEntry>();

    /** Shows the run in its slot from no records (a new run, or the host re-reads its files). */
    reset(info: DashboardRunInfo): void {
        const colour = this.entries.get(info.slot)?.colour ?? this.freeColour(info.slot);
        this.entries.set(info.slot, { info, series: new RunSeries(), colour });
    }

    /** New status of a shown run; false when the slot shows nothing (a late message for a removed run). */
    update(info: DashboardRunInfo): boolean {
        const entry = this.entries.get(info.slot);
        if (!entry) return false;
        entry.info = info;
        return true;
    }

    remove(slot: DashboardSlot): void {
        this.entries.delete(slot);
    }

    get(slot: DashboardSlot): RunEntry | undefined {
        return this.entries.get(slot);
    }

    get primary(): RunEntry | undefined {
        return this.entries.get('primary');
    }

    /** The comparison runs, in the order they were added. */
    compares(): RunEntry[] {
        return [...this.entries.values()].filter((entry) => entry.info.slot !== 'primary');
    }

    /** Every shown run, the main run first. */
    all(): RunEntry[] {
        const primary = this.primary;
        return primary ? [primary, ...this.compares()] : this.compares();
    }

    /** The runs as the charts draw them: unique names with the credit method (`a (shapley)`). */
    shown(): ShownRun[] {
        const names = this.names();
        return this.all().map((entry, i) => {
            const credit = creditMethod(entry.info.config);
            const name = names[i]!;
            return {
                slot: entry.info.slot,
                series: entry.series,
                colour: entry.colour,
                label: credit ? `${name} (${clip(credit, 24)})` : name,
            };
        });
    }

    /** The runs' display names in `all()` order, clipped and made unique. */
    names(): string[] {
        const used = new Map<string, number>();
        return this.all().map((entry) => {
            const base = clip(entry.info.name, MAX_NAME_CHARS) || '(unnamed)';
            const n = (used.get(base) ?? 0) + 1;
            used.set(base, n);
            return n === 1 ? base : `${base} #${n}`;
        });
    }

    private freeColour(slot: DashboardSlot): number {
        if (slot === 'primary') return 0;
        const taken = new Set([...this.entries.values()].map((entry) => entry.colour));
        let colour = 1;
        while (taken.has(colour)) colour++;
        return colour;
    }
}
