import { describe, expect, it } from 'vitest';
import { agentSummary, LAZY_SHARE_THRESHOLD, separatesAgents } from '../../../analysis/run-dir/agent-summary.js';
import type { RolloutEntry, StepEntry } from '../../../analysis/run-dir/run-index.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { creditMethods, summarizeRun } from '../../../analysis/run-dir/view-model.js';
import { copyFixtureRun, copyFixtureRunWithShapley, FIXTURE_RUN } from './fixture-run.js';

const AGENTS = ['first', 'second', 'lazy'];

function rollout(rollout: number, credit: Record<string, number[]>, agents = AGENTS): RolloutEntry {
    return {
        offset: 0,
        length: 0,
        line: rollout + 1,
        step: 1,
        rollout,
        group: 0,
        sample: rollout,
        parent: null,
        reward: 1,
        success: true,
        agents,
        decisionTurns: agents.map((_, i) => i),
        credit,
    };
}

function step(n: number, rollouts: RolloutEntry[]): StepEntry {
    return {
        step: n,
        file: `trajectories/${n}.jsonl`,
        size: 0,
        mtimeMs: 0,
        headHash: '',
        rollouts: rollouts.map((r) => ({ ...r, step: n })),
        tornBytes: 0,
        aggregates: {},
    };
}

describe('per-agent run summary', () => {
    it('reads counterfactual, difference and shapley as the estimators that separate agents (registry capabilities)', () => {
        expect(['outcome', 'agent_normalized', 'turn_level', 'critic', 'nonsense'].filter(separatesAgents)).toEqual([]);
        expect(['counterfactual', 'difference', 'shapley'].every(separatesAgents)).toBe(true);
    });

    it('flags nothing on the fixture run (outcome, agent_normalized, turn_level) and says what to record', async () => {
        const index = await new RunDirService().index(FIXTURE_RUN);
        const summary = summarizeRun(index, false).agentSummary;
        expect(summary.methods).toEqual(creditMethods(index));
        expect(summary.methods).toEqual(['outcome', 'agent_normalized', 'turn_level']);
        expect(summary.separating).toEqual([]);
        expect(summary.threshold).toBe(LAZY_SHARE_THRESHOLD);
        expect(summary.rows.map((r) => r.agent)).toEqual(AGENTS);
        expect(summary.rows.some((r) => r.lazy !== undefined)).toBe(false);
        expect(summary.note).toContain('No agent is flagged');
        expect(summary.note).toContain('`credit: shapley`');
        expect(summary.note).toContain('`record_credit: all`');
        // Every rollout of every step: 36 decisions per agent per method; shares sum to 1 where any credit is non-zero.
        for (const [m, method] of summary.methods.entries()) {
            const cells = summary.rows.map((r) => r.cells[m]!);
            expect(cells.map((c) => c.decisions)).toEqual([36, 36, 36]);
            const entries = index.steps.flatMap((s) => s.rollouts);
            const abs = AGENTS.map((_, a) => entries.reduce((s, r) => s + Math.abs(r.credit[method]![a]!), 0));
            const total = abs.reduce((s, v) => s + v, 0);
            cells.forEach((c, a) => {
                if (total === 0) expect(c.share).toBeNull();
                else expect(c.share).toBeCloseTo(abs[a]! / total, 12);
                const mean = entries.reduce((s, r) => s + r.credit[method]![a]!, 0) / entries.length;
                expect(c.mean).toBeCloseTo(mean, 12);
            });
        }
    });

    it('flags the agent shapley and difference give 0, with its share in the flag', () => {
        const steps = [1, 2, 3].map((n) =>
            step(
                n,
                [0, 1, 2, 3].map((r) =>
                    rollout(r, {
                        outcome: [0.5, 0.5, 0.5],
                        shapley: [0.6, -0.4, 0],
                        difference: [1, 0.5, 1e-17],
                    }),
                ),
            ),
        );
        const summary = agentSummary(steps, AGENTS, ['outcome', 'shapley', 'difference']);
        expect(summary.separating).toEqual(['shapley', 'difference']);
        const lazy = summary.rows.find((r) => r.agent === 'lazy')!;
        expect(lazy.lazy).toBe('lazy: 0 % of the credit under shapley, difference');
        expect(summary.rows.filter((r) => r.lazy).map((r) => r.agent)).toEqual(['lazy']);
        expect(summary.note).toBe(
            'lazy is flagged lazy: under 5 % of the credit under each of shapley and difference.',
        );
        // Shares of |credit|: shapley 0.6 / 0.4 / 0; outcome credits every agent alike.
        const shares = (m: number) => summary.rows.map((r) => r.cells[m]!.share);
        expect(shares(1)[0]).toBeCloseTo(0.6, 12);
        expect(shares(1)[1]).toBeCloseTo(0.4, 12);
        expect(shares(1)[2]).toBe(0);
        expect(shares(0).every((s) => Math.abs(s! - 1 / 3) < 1e-12)).toBe(true);
        expect(summary.rows[1]!.cells[1]!.mean).toBeCloseTo(-0.4, 12);
        expect(summary.rows[2]!.cells[1]!.decisions).toBe(12);
    });

    it('flags the lazy agent of a run that records shapley and difference beside outcome (through the index)', async () => {
        const scratch = copyFixtureRun();
        try {
            const root = copyFixtureRunWithShapley(`${scratch.root}-shapley`);
            const summary = summarizeRun(await new RunDirService().index(root), false).agentSummary;
            expect(summary.separating).toEqual(['shapley', 'difference']);
            expect(summary.rows.map((r) => r.lazy)).toEqual([
                undefined,
                undefined,
                'lazy: 0 % of the credit under shapley, difference',
            ]);
            const shapley = summary.methods.indexOf('shapley');
            expect(summary.rows.map((r) => r.cells[shapley]!.share)).toEqual([0.5, 0.5, 0]);
            expect(summary.note).toBe(
                'lazy is flagged lazy: under 5 % of the credit under each of shapley and difference.',
            );
        } finally {
            scratch.dispose();
        }
    });

    it('needs every separating estimator to agree, two acting agents, and some credit', () => {
        const one = (credit: Record<string, number[]>, agents?: string[]) => [step(1, [rollout(0, credit, agents)])];
        // shapley says lazy, difference does not: not flagged.
        const split = agentSummary(one({ shapley: [1, 1, 0], difference: [1, 1, 1] }), AGENTS, [
            'shapley',
            'difference',
        ]);
        expect(split.rows.some((r) => r.lazy)).toBe(false);
        expect(split.note).toBe(
            'No agent is flagged: none gets under 5 % of the credit under each of shapley and difference.',
        );
        // Below the threshold under shapley only, different rounded shares under two estimators.
        const two = agentSummary(one({ shapley: [1, 1, 0.02], difference: [1, 1, 0] }), AGENTS, [
            'shapley',
            'difference',
        ]);
        expect(two.rows[2]!.lazy).toBe('lazy: 1 % of the credit under shapley; 0 % under difference');
        // One agent acting.
        const alone = agentSummary(one({ shapley: [1] }, ['first']), AGENTS, ['shapley']);
        expect(alone.note).toBe('No agent is flagged: fewer than two agents act under shapley.');
        expect(alone.rows.map((r) => r.cells[0]!.decisions)).toEqual([1, 0, 0]);
        expect(alone.rows[1]!.cells[0]).toEqual({ decisions: 0, share: null, mean: null });
        // All credit 0.
        const flat = agentSummary(one({ shapley: [0, 0, 0] }), AGENTS, ['shapley']);
        expect(flat.note).toContain('credit is 0 under shapley');
        expect(flat.rows.every((r) => r.cells[0]!.share === null && r.cells[0]!.mean === 0)).toBe(true);
    });

    it('adds agents seen only in records after the declared ones, and leaves unrecorded methods empty', () => {
        const steps = [step(1, [rollout(0, { shapley: [1, 0] }, ['first', 'ghost'])])];
        const summary = agentSummary(steps, AGENTS, ['outcome', 'shapley']);
        expect(summary.rows.map((r) => r.agent)).toEqual([...AGENTS, 'ghost']);
        expect(summary.rows.every((r) => r.cells[0]!.decisions === 0)).toBe(true);
        expect(summary.separating).toEqual(['shapley']);
        expect(summary.rows[3]!.lazy).toBe('lazy: 0 % of the credit under shapley');
    });

    it('takes a method named like an Object.prototype member as any other', () => {
        const steps = [
            step(1, [
                rollout(0, JSON.parse('{"__proto__":[1,2,3],"constructor":[1,1,1]}') as Record<string, number[]>),
            ]),
        ];
        const summary = agentSummary(steps, AGENTS, ['__proto__', 'constructor']);
        expect(summary.rows.map((r) => r.cells.map((c) => c.decisions))).toEqual([
            [1, 1],
            [1, 1],
            [1, 1],
        ]);
    });
});
