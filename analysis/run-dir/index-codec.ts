import { keyedRecord, ownValue, setOwn } from './own-key.js';
import type { RolloutEntry } from './run-index.js';

/**
 * The rollout entries of one step file stored column by column: a few long arrays of numbers, which JSON.parse
 * reads far faster than one small object (with three small arrays) per rollout, and a third of the size.
 */
export interface RolloutColumns {
    offset: number[];
    length: number[];
    line: number[];
    step: number[];
    rollout: number[];
    group: number[];
    sample: number[];
    parent: (number | null)[];
    reward: number[];
    success: number[];
    agentNames: string[];
    /** Turns per rollout, then the agent of each turn as an index into agentNames. */
    turnCounts: number[];
    agents: number[];
    decisionCounts: number[];
    decisionTurns: number[];
    /** Credit method → per rollout the number of values (-1: method absent), then all values in a row. */
    credit: Record<string, { counts: number[]; values: number[] }>;
}

export function encodeRollouts(rollouts: readonly RolloutEntry[]): RolloutColumns {
    const c: RolloutColumns = {
        offset: [],
        length: [],
        line: [],
        step: [],
        rollout: [],
        group: [],
        sample: [],
        parent: [],
        reward: [],
        success: [],
        agentNames: [],
        turnCounts: [],
        agents: [],
        decisionCounts: [],
        decisionTurns: [],
        credit: keyedRecord(),
    };
    const agentIndex = new Map<string, number>();
    const methods = new Set<string>();
    for (const r of rollouts) for (const m of Object.keys(r.credit)) methods.add(m);
    for (const m of methods) c.credit[m] = { counts: [], values: [] };
    for (const r of rollouts) {
        c.offset.push(r.offset);
        c.length.push(r.length);
        c.line.push(r.line);
        c.step.push(r.step);
        c.rollout.push(r.rollout);
        c.group.push(r.group);
        c.sample.push(r.sample);
        c.parent.push(r.parent);
        c.reward.push(r.reward);
        c.success.push(r.success ? 1 : 0);
        c.turnCounts.push(r.agents.length);
        for (const agent of r.agents) {
            let k = agentIndex.get(agent);
            if (k === undefined) {
                agentIndex.set(agent, (k = c.agentNames.length));
                c.agentNames.push(agent);
            }
            c.agents.push(k);
        }
        c.decisionCounts.push(r.decisionTurns.length);
        for (const t of r.decisionTurns) c.decisionTurns.push(t);
        for (const m of methods) {
            const values = ownValue(r.credit, m),
                column = c.credit[m]!;
            column.counts.push(values ? values.length : -1);
            if (values) for (const v of values) column.values.push(v);
        }
    }
    return c;
}

/** Inverse of encodeRollouts; throws on columns of inconsistent lengths (a damaged file: the caller rebuilds). */
export function decodeRollouts(c: RolloutColumns): RolloutEntry[] {
    const n = c.offset.length;
    for (const column of [
        c.length,
        c.line,
        c.step,
        c.rollout,
        c.group,
        c.sample,
        c.parent,
        c.reward,
        c.success,
        c.turnCounts,
        c.decisionCounts,
    ]) {
        if (!Array.isArray(column) || column.length !== n) throw new Error('saved index columns disagree');
    }
    const methods = Object.keys(c.credit);
    const cursors = methods.map(() => 0);
    const out = new Array<RolloutEntry>(n);
    let agentAt = 0,
        decisionAt = 0;
    for (let i = 0; i < n; i++) {
        const agents = new Array<string>(c.turnCounts[i]!);
        for (let k = 0; k < agents.length; k++) {
            const name = c.agentNames[c.agents[agentAt++]!];
            if (name === undefined) throw new Error('saved index names an unknown agent');
            agents[k] = name;
        }
        const decisionTurns = c.decisionTurns.slice(decisionAt, (decisionAt += c.decisionCounts[i]!));
        const credit: Record<string, number[]> = {};
        methods.forEach((m, k) => {
            const column = c.credit[m]!,
                count = column.counts[i]!;
            if (count >= 0) setOwn(credit, m, column.values.slice(cursors[k]!, (cursors[k]! += count)));
        });
        out[i] = {
            offset: c.offset[i]!,
            length: c.length[i]!,
            line: c.line[i]!,
            step: c.step[i]!,
            rollout: c.rollout[i]!,
            group: c.group[i]!,
            sample: c.sample[i]!,
            parent: c.parent[i]!,
            reward: c.reward[i]!,
            success: c.success[i] === 1,
            agents,
            decisionTurns,
            credit,
        };
    }
    if (agentAt !== c.agents.length || decisionAt !== c.decisionTurns.length)
        throw new Error('saved index columns disagree');
    return out;
}
