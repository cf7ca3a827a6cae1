// Judge criteria send workspace prompts to a model the trainer loads or calls: refused in an untrusted workspace like
// verifiers (training pre-flight and re-scoring); the editor's evaluator scores them `needs_trainer`.
import { describe, expect, it } from 'vitest';
import type { RubricSpec, RunSpec } from '../../protocol/run-spec.js';
import { scoreRubric } from '../../analysis/rubric/score.js';
import { preflight } from '../../client/src/training/preflight.js';
import { judgeTrustRefusal } from '../../client/src/training/verifier-trust.js';

const rubric: RubricSpec = {
    name: 'r',
    criteria: [
        { name: 'format', weight: 0.7, expr: { op: 'bool', value: true } },
        {
            name: 'style',
            weight: 0.3,
            judge: {
                model: 'critic',
                prompt: [{ text: 'Rate ' }, { ref: { op: 'output', agent: 'solver' } }],
                scale: [1, 10],
                max_tokens: 8,
            },
        },
    ],
};

describe('judge criteria in the client', () => {
    it('are refused in an untrusted workspace and allowed in a trusted one', () => {
        expect(judgeTrustRefusal('Re-scoring', rubric, false)).toMatch(
            /Re-scoring would ask the judge model of style \(model critic\).*not trusted/,
        );
        expect(judgeTrustRefusal('Re-scoring', rubric, true)).toBeUndefined();
        expect(judgeTrustRefusal('Re-scoring', { name: 'r', criteria: [rubric.criteria[0]!] }, false)).toBeUndefined();
    });

    it("refuse training's pre-flight in an untrusted workspace", () => {
        const spec: Partial<RunSpec> = { rubrics: [rubric], reward: { name: 't', rubric: 'r', level: 'trajectory' } };
        const problems = preflight(spec, { trusted: false, cudaAvailable: undefined, env: {} });
        expect(problems.map((p) => p.message).join('\n')).toMatch(/judge model of style/);
    });

    it('score needs_trainer in the editor, and the other criteria still count', () => {
        const score = scoreRubric(rubric, { task: {}, outputs: { solver: 'x' } });
        expect(score.reward).toBeCloseTo(0.7);
        expect(score.criteria[1]!.error?.kind).toBe('needs_trainer');
        expect(score.criteria[1]!.error?.message).toMatch(/judge model 'critic'/);
    });
});
