// The editor's evaluator cannot run Python verifiers: a criterion that calls one scores 0 with a `needs_trainer`
// error that names the verifier (the trajectory view's re-score and what-if show it in the rubric table).
import { describe, expect, it } from 'vitest';
import { scoreRubric } from '../../analysis/rubric/score.js';

describe('verifier nodes in the TypeScript evaluator', () => {
    it('score 0 with needs_trainer, and the other criteria still count', () => {
        const score = scoreRubric(
            {
                name: 'r',
                criteria: [
                    { name: 'answer', weight: 0.7, expr: { op: 'verifier', name: 'equal', args: [] } },
                    { name: 'format', weight: 0.3, expr: { op: 'bool', value: true } },
                ],
            },
            { task: {}, outputs: {} },
        );
        expect(score.reward).toBeCloseTo(0.3);
        const [answer] = score.criteria;
        expect(answer!.score).toBe(0);
        expect(answer!.error?.kind).toBe('needs_trainer');
        expect(answer!.error?.message).toMatch(/verifier "equal" is Python code that only the trainer runs/);
    });
});
