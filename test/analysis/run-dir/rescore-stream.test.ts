// The trainer's `rescore` output is read as untrusted input: every line checked, the first bad one stops the
// reading with the line number and what is wrong, and a stream that ends early is an error, not a partial result.
import { describe, expect, it } from 'vitest';
import { RescoreStreamReader, parseRescoreLine } from '../../../analysis/run-dir/rescore-stream.js';

const start = '{"type":"start","version":1,"runs":["runs/a"],"rollouts":2}';
const rollout = (r: number, reward: number | null = 0.5) =>
    JSON.stringify({
        type: 'rollout',
        run: 0,
        step: 1,
        rollout: r,
        reward,
        criteria: { answer: reward },
        errors: reward === null ? { answer: 'verifier_error' } : {},
        decision_rewards: [null, null],
    });
const done = '{"type":"done","rollouts":2,"verifier_errors":{"equal":1},"skipped_lines":0}';

function read(lines: string[], chunkSize = 7) {
    const progress: number[] = [];
    const reader = new RescoreStreamReader((line) => {
        if (line.type === 'progress') progress.push(line.done);
    });
    const text = lines.join('\n') + '\n';
    for (let i = 0; i < text.length; i += chunkSize) reader.feed(text.slice(i, i + chunkSize));
    return { scores: reader.finish(), progress };
}

describe('the re-score stream', () => {
    it('collects the rollouts, the verifier errors and the progress of a complete stream fed in pieces', () => {
        const { scores, progress } = read([
            start,
            '{"type":"progress","done":0,"total":2}',
            rollout(0),
            rollout(1, null),
            '{"type":"progress","done":2,"total":2}',
            done,
        ]);
        expect(progress).toEqual([0, 2]);
        expect(scores.rollouts.map((r) => [r.rollout, r.reward, r.errors])).toEqual([
            [0, 0.5, {}],
            [1, null, { answer: 'verifier_error' }],
        ]);
        expect(scores.verifierErrors).toEqual({ equal: 1 });
        expect(scores.rollouts[0]).not.toHaveProperty('type');
    });

    it.each([
        ['{"type":"start","version":2,"runs":[],"rollouts":0}', /version 2, and this editor reads version 1/],
        ['not json', /line 1 is not valid JSON/],
        ['['.repeat(5000), /line 1 .*deep/],
        ['{"type":"exec","cmd":"rm"}', /unknown type "exec"/],
    ])('refuses the first line %#', (line, message) => {
        expect(() => parseRescoreLine(line, 1)).toThrow(message);
    });

    it.each([
        ['a reward that is a string', rollout(0).replace('"reward":0.5', '"reward":"1"'), /line 2 has a `reward`/],
        [
            'a criterion score that is an object',
            rollout(0).replace('"answer":0.5', '"answer":{}'),
            /line 2 has `criteria`/,
        ],
        ['a negative rollout', rollout(0).replace('"rollout":0', '"rollout":-1'), /line 2 has no whole/],
        [
            'too many decision rewards',
            rollout(0).replace('[null,null]', JSON.stringify(Array(5000).fill(0))),
            /decision_rewards/,
        ],
    ])('stops at %s with the line number, and keeps nothing', (_what, bad, message) => {
        expect(() => read([start, bad, rollout(1), done])).toThrow(message);
    });

    it('an output that ends before `done`, is cut off, miscounts or talks after `done` is an error', () => {
        expect(() => read([start, rollout(0), rollout(1)])).toThrow(/ended before `done`/);
        const reader = new RescoreStreamReader();
        reader.feed(`${start}\n${rollout(0)}\n${rollout(1)}\n${done}\n{"type":"progress"`);
        expect(() => reader.finish()).toThrow(/line 5 was cut off/);
        expect(() => read([start, rollout(0), done])).toThrow(/says 2 rollouts, but 1 were scored/);
        expect(() => read([start, rollout(0), rollout(1), done, rollout(2)])).toThrow(/line 5 comes after `done`/);
        expect(() => read([rollout(0), start])).toThrow(/line 1 comes before `start`/);
    });

    it('refuses a line longer than its limit without waiting for its end', () => {
        const reader = new RescoreStreamReader();
        reader.feed(start + '\n');
        expect(() => reader.feed('{"type":"rollout","x":"' + 'a'.repeat(1 << 21))).toThrow(/line 2 is longer than/);
    });
});
