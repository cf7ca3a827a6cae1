import type { RolloutSummary, RunHeads, RunSummary, StepHead } from '../../protocol/trajectory-messages.js';
import type { RolloutEntry, RunIndex, StepEntry } from './run-index.js';

/**
 * The trajectory view's open message in pages (issue 15 item 6): one small head per step, and a step's rollouts only
 * when the view asks for them. Sending every rollout of every step at once is tens of MB at 10 000 steps × 64.
 */

export function rolloutSummaries(entries: readonly RolloutEntry[]): RolloutSummary[] {
    return entries.map((r) => ({
        rollout: r.rollout,
        group: r.group,
        sample: r.sample,
        parent: r.parent,
        reward: r.reward,
        success: r.success,
        turns: r.agents.length,
    }));
}

export function stepHead(step: StepEntry): StepHead {
    const n = step.rollouts.length;
    return {
        step: step.step,
        rolloutCount: n,
        meanReward: step.rollouts.reduce((sum, r) => sum + r.reward, 0) / n,
        successRate: step.rollouts.filter((r) => r.success).length / n,
    };
}

/** Heads of the steps after `after` (a run still training sends only the new ones); every step when undefined. */
export function stepHeads(index: RunIndex, after?: number): StepHead[] {
    const steps = after === undefined ? index.steps : index.steps.filter((s) => s.step > after);
    return steps.map(stepHead);
}

/** A step's rollouts, or null when the run has no such step (the request is untrusted: any number may come). */
export function stepRollouts(index: RunIndex, step: number): RolloutSummary[] | null {
    if (!Number.isSafeInteger(step)) return null;
    const entry = index.steps.find((s) => s.step === step);
    return entry ? rolloutSummaries(entry.rollouts) : null;
}

/** The paged open message built from a full summary's other fields: heads, and the latest step's rollouts. */
export function runHeads(index: RunIndex, summary: Omit<RunSummary, 'steps'>): RunHeads {
    const last = index.steps.at(-1);
    return {
        ...summary,
        steps: stepHeads(index),
        opened: last ? { step: last.step, rollouts: rolloutSummaries(last.rollouts) } : null,
    };
}

/** A small least-recently-used cache of steps' rollouts on the host, keyed by step; `clear` when the run refreshes. */
export class StepRolloutsCache {
    private readonly entries = new Map<number, RolloutSummary[] | null>();

    constructor(private readonly capacity = 32) {}

    get(index: RunIndex, step: number): RolloutSummary[] | null {
        if (this.entries.has(step)) {
            const hit = this.entries.get(step)!;
            this.entries.delete(step);
            this.entries.set(step, hit);
            return hit;
        }
        const rollouts = stepRollouts(index, step);
        // Unknown steps are not cached: a hostile view could fill the cache with them.
        if (rollouts === null) return null;
        this.entries.set(step, rollouts);
        if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
        return rollouts;
    }

    get size(): number {
        return this.entries.size;
    }

    clear(): void {
        this.entries.clear();
    }
}
