import { describe, expect, it } from 'vitest';
import { criterionScore, scoreRubric } from '../../analysis/rubric/score.js';
import type { RubricSpec } from '../../protocol/run-spec.js';

const RUBRIC: RubricSpec = {
    name: 'correctness',
    criteria: [
        {
            name: 'answer',
            weight: 0.7,
            expr: {
                op: '==',
                right: { op: 'task', field: 'answer' },
                left: {
                    op: 'call',
                    fn: 'number',
                    args: [
                        {
                            op: 'call',
                            fn: 'extract',
                            args: [
                                { op: 'output', agent: 'solver' },
                                { op: 'regex', source: '\\\\boxed\\{(-?\\d+)\\}', flags: '' },
                            ],
                        },
                    ],
                },
            },
        },
        {
            name: 'format',
            weight: 0.2,
            expr: {
                op: 'matches',
                left: { op: 'output', agent: 'solver' },
                right: { op: 'regex', source: '\\\\boxed\\{', flags: '' },
            },
        },
        {
            name: 'brevity',
            weight: 0.1,
            expr: {
                op: '/',
                left: { op: 'num', value: 100 },
                right: { op: 'call', fn: 'length', args: [{ op: 'output', agent: 'solver' }] },
            },
        },
    ],
};

describe('rubric scoring', () => {
    it('sums weight × score with bools as 1/0 and numbers as themselves', () => {
        const solver = 'so \\boxed{12}'; // 13 code points
        const result = scoreRubric(RUBRIC, { task: { answer: 12 }, outputs: { solver } });
        expect(result.criteria.map((c) => c.score)).toEqual([1, 1, 100 / 13]);
        expect(result.reward).toBeCloseTo(0.7 + 0.2 + 0.1 * (100 / 13), 12);
    });

    it('scores null and false as 0 (no match, empty output divided by zero)', () => {
        const result = scoreRubric(RUBRIC, { task: { answer: 12 }, outputs: {} });
        expect(result.criteria.map((c) => [c.value, c.score])).toEqual([
            [false, 0],
            [false, 0],
            [null, 0],
        ]);
        expect(result.reward).toBe(0);
    });

    it('records an error as a 0 score without losing the other criteria', () => {
        const rubric: RubricSpec = {
            name: 'mixed',
            criteria: [
                {
                    name: 'bad',
                    weight: 0.5,
                    expr: { op: '-', left: { op: 'str', value: 'a' }, right: { op: 'num', value: 1 } },
                },
                { name: 'text', weight: 0.25, expr: { op: 'str', value: 'oops' } },
                { name: 'good', weight: 0.25, expr: { op: 'bool', value: true } },
            ],
        };
        const result = scoreRubric(rubric, { task: {}, outputs: {} });
        expect(result.criteria.map((c) => c.error?.kind ?? null)).toEqual(['type_error', 'type_error', null]);
        expect(result.reward).toBe(0.25);
    });

    it('maps values to scores', () => {
        expect([true, false, null, 2.5, -1].map((v) => criterionScore(v))).toEqual([1, 0, 0, 2.5, -1]);
        expect(() => criterionScore('1')).toThrow(/bool or a number/);
    });
});
