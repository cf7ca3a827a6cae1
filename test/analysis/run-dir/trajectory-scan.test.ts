import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LineSpan } from '../../../analysis/run-dir/scan.js';
import { scanStepFile, type StepScanOptions } from '../../../analysis/run-dir/step-scan.js';
import { TrajectoryLineScanner, type IndexedFields } from '../../../analysis/run-dir/trajectory-scan.js';
import { validateTrajectory } from '../../../analysis/run-dir/validate.js';
import { copyFixtureRun, FIXTURE_RUN } from './fixture-run.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
    for (const c of cleanups.splice(0)) c();
});

const fixtureLines = readFileSync(path.join(FIXTURE_RUN, 'trajectories', '1.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean);

/** What the index kept before the byte scanner: JSON.parse + validateTrajectory, then these fields. */
function reference(text: string): { ok: true; fields: IndexedFields } | { ok: false } {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return { ok: false };
    }
    const checked = validateTrajectory(value);
    if (!checked.ok) return { ok: false };
    const r = checked.value;
    return {
        ok: true,
        fields: {
            step: r.step,
            rollout: r.rollout,
            group: r.group,
            sample: r.sample,
            parent: r.parent,
            reward: r.reward,
            success: r.success === true,
            agents: r.turns.map((t) => t.agent),
            decisionTurns: r.decision_turns,
            credit: r.credit,
        },
    };
}

function scan(text: string) {
    const bytes = Buffer.from(text, 'utf8');
    return new TrajectoryLineScanner().scan(bytes, 0, bytes.length);
}

describe('byte-level trajectory line scanner', () => {
    it('keeps exactly the fields JSON.parse would give, numbers bit for bit', () => {
        const record = JSON.parse(fixtureLines[0]!) as Record<string, unknown>;
        const variants = [
            ...fixtureLines,
            JSON.stringify({ ...record, reward: -4.293242454528809, parent: 3, success: true }),
            JSON.stringify({
                ...record,
                credit: {
                    outcome: [
                        1e-300, -0, 0.1, 123456789012345680000, 5e-324, 1.7976931348623157e308, 0.30000000000000004,
                    ],
                },
                decision_turns: [0, 1, 2, 3, 4, 5, 6],
            }),
            JSON.stringify({
                ...record,
                turns: (record['turns'] as object[]).map((t) => ({
                    ...t,
                    agent: 'Überprüfer "🧮"\n',
                    output: '\u202e</script>\u200b',
                })),
            }),
            ` \t${fixtureLines[1]!}  `,
            fixtureLines[2]!.replace('"step":1', '"st\\u0065p":1'),
        ];
        for (const text of variants) {
            const expected = reference(text);
            expect(expected.ok).toBe(true);
            const got = scan(text);
            expect(got).toEqual(expected);
            if (got.ok && expected.ok)
                expect(Object.is(got.fields.credit['outcome']![1], expected.fields.credit['outcome']![1])).toBe(true);
        }
    });

    it('refuses every line JSON.parse or validateTrajectory refuses: every prefix, and byte-level damage', () => {
        const line = fixtureLines[3]!;
        for (let cut = 0; cut < line.length; cut++) expect(scan(line.slice(0, cut)).ok).toBe(false);
        // Replace each position with a byte that can break JSON; the scanner must agree with JSON.parse + validate.
        for (let at = 0; at < line.length; at += 3) {
            for (const bad of ['"', '}', ',', 'x', '\u0001', ']', '1']) {
                const damaged = line.slice(0, at) + bad + line.slice(at + 1);
                expect({ at, bad, ok: scan(damaged).ok }).toEqual({ at, bad, ok: reference(damaged).ok });
            }
        }
        for (const bad of [
            '',
            '[]',
            'null',
            '{"step":1}',
            line + '{',
            line.replace('"reward":0.0', '"reward":NaN'),
            line.replace('"turns":[', '"turns":[1,'),
        ]) {
            expect(scan(bad).ok).toBe(false);
        }
        expect(scan(line.replace('"reward":0.0', '"reward":"0"'))).toEqual({
            ok: false,
            error: "'reward' is not a number",
        });
        const utf8 = Buffer.from(line, 'utf8');
        utf8[utf8.indexOf('"output":"') + 10] = 0xff;
        expect(new TrajectoryLineScanner().scan(utf8, 0, utf8.length)).toEqual({
            ok: false,
            error: 'line is not valid UTF-8',
        });
    });

    it("reads a turn's optional `frozen` flag as validateTrajectory does: true / false kept, anything else refused", () => {
        const record = JSON.parse(fixtureLines[0]!) as { turns: Record<string, unknown>[] };
        const withFrozen = (value: unknown) =>
            JSON.stringify({ ...record, turns: record.turns.map((t, i) => (i === 0 ? { ...t, frozen: value } : t)) });
        for (const value of [true, false]) {
            expect(reference(withFrozen(value)).ok).toBe(true);
            expect(scan(withFrozen(value))).toEqual(reference(withFrozen(value)));
        }
        for (const value of ['yes', 1, null, [], {}]) {
            const error = 'turns[0].frozen is not true or false';
            expect(validateTrajectory(JSON.parse(withFrozen(value)))).toEqual({ ok: false, error });
            expect(scan(withFrozen(value))).toEqual({ ok: false, error });
        }
    });

    it('reads a step file truncated at every byte: complete records kept, the torn tail dropped silently', async () => {
        const run = copyFixtureRun();
        cleanups.push(run.dispose);
        const file = path.join(run.root, 'trajectories', '1.jsonl');
        const bytes = readFileSync(file);
        const ends: number[] = [];
        for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) ends.push(i + 1);
        // Every offset of the first record, a stride over the rest, and both sides of every newline.
        const cuts = new Set<number>();
        for (let cut = 0; cut <= bytes.length; cut += cut <= ends[0]! ? 1 : 23) cuts.add(cut);
        for (const end of ends)
            for (const cut of [end - 2, end - 1, end, end + 1]) if (cut <= bytes.length) cuts.add(cut);
        for (const cut of cuts) {
            writeFileSync(file, bytes.subarray(0, cut));
            const rollouts: number[] = [];
            const result = await scanStepFile(file, 'trajectories/1.jsonl', (fields) => rollouts.push(fields.rollout));
            const complete = ends.filter((end) => end - 1 <= cut).length;
            expect(rollouts).toEqual([...Array(complete).keys()]);
            expect(result.issues).toEqual([]);
            expect(result.bytes + result.tornBytes).toBe(cut);
        }
    });

    it('reports corrupt middle lines with file:line and reads on, across CRLF and blank lines', async () => {
        const run = copyFixtureRun();
        cleanups.push(run.dispose);
        const file = path.join(run.root, 'trajectories', '1.jsonl');
        const lines = [...fixtureLines];
        lines.splice(3, 0, lines[3]!.slice(0, 100));
        lines.splice(6, 0, '');
        writeFileSync(file, lines.join('\r\n') + '\r\n');
        const spans: number[] = [];
        const result = await scanStepFile(file, 'trajectories/1.jsonl', (_, span) => spans.push(span.line));
        expect(result.issues).toEqual([
            {
                file: 'trajectories/1.jsonl',
                line: 4,
                message: expect.stringMatching(/^line is not valid JSON \(unexpected end of line.*\); skipped$/),
            },
        ]);
        expect(spans).toEqual([1, 2, 3, 5, 6, 8, 9, 10, 11, 12, 13, 14]);
    });

    it('gives the same entries whatever the read size, and skips an over-long line with file:line', async () => {
        const whole = await collect(FIXTURE_RUN_STEP1, {});
        for (const chunkBytes of [1, 7, 500, 4096])
            expect(await collect(FIXTURE_RUN_STEP1, { chunkBytes })).toEqual(whole);
        const run = copyFixtureRun();
        cleanups.push(run.dispose);
        const file = path.join(run.root, 'trajectories', '1.jsonl');
        const lines = [...fixtureLines];
        lines[1] = lines[1]!.replace('"task":{', `"task":{"pad":"${'p'.repeat(5000)}",`);
        writeFileSync(file, lines.join('\n') + '\n');
        const limited = await collect(file, { chunkBytes: 256, maxLineBytes: 4096 });
        expect(limited.issues).toEqual([{ file: 'f', line: 2, message: 'line is longer than 4096 bytes; skipped' }]);
        expect(limited.entries.map((e) => e.line)).toEqual([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        expect(limited.entries.slice(1)).toEqual(
            whole.entries.slice(2).map((e) => ({ ...e, offset: e.offset + 5009 })),
        );
    });
});

const FIXTURE_RUN_STEP1 = path.join(FIXTURE_RUN, 'trajectories', '1.jsonl');

async function collect(file: string, options: StepScanOptions) {
    const entries: (IndexedFields & LineSpan)[] = [];
    const result = await scanStepFile(file, 'f', (fields, span) => entries.push({ ...fields, ...span }), options);
    return { entries, issues: result.issues, tornBytes: result.tornBytes };
}
