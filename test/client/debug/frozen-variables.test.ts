import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { variablesFor } from '../../../client/src/debug/variables.js';
import type { RunJson, TrajectoryRecord } from '../../../protocol/run-dir.js';
import { FIXTURE_RUN } from '../../analysis/run-dir/fixture-run.js';

const run = JSON.parse(readFileSync(path.join(FIXTURE_RUN, 'run.json'), 'utf8')) as RunJson;
const record = JSON.parse(
    readFileSync(path.join(FIXTURE_RUN, 'trajectories', '1.jsonl'), 'utf8').split('\n')[0]!,
) as TrajectoryRecord;
const values = (reference: number, r: TrajectoryRecord, turn: number, spec: RunJson) =>
    Object.fromEntries(variablesFor(reference, r, turn, spec).map((v) => [v.name, v.value]));

describe('debugger variables of a frozen agent', () => {
    it('say `frozen` on the turn, from the record flag or from the spec, and that its credit is never trained on', () => {
        const lazyTurn = record.turns.findIndex((t) => t.agent === 'lazy');
        expect(values(1, record, lazyTurn, run)['frozen']).toBe('false');
        expect(values(2, record, lazyTurn, run)['outcome']).not.toContain('frozen');
        const flagged = {
            ...record,
            turns: record.turns.map((t) => (t.agent === 'lazy' ? { ...t, frozen: true } : t)),
        };
        expect(values(1, flagged, lazyTurn, run)['frozen']).toBe('true');
        expect(values(2, flagged, lazyTurn, run)['outcome']).toMatch(
            /^"frozen: never trained on \(the estimator gave /,
        );
        const declared = {
            ...run,
            spec: { ...run.spec, agents: run.spec.agents.map((a) => ({ ...a, frozen: a.name === 'lazy' })) },
        };
        expect(values(1, record, lazyTurn, declared)['frozen']).toBe('true');
        expect(values(1, record, 0, declared)['frozen']).toBe('false');
    });
});
