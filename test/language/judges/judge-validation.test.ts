// Judge criteria in the language: parse, checks with codes and quick fixes, trust, and compilation to the RunSpec.
import { describe, expect, it } from 'vitest';
import { handleWorkspaceTrust } from '../../../server/src/handlers/workspace-trust.js';
import { compileDocument } from '../../../server/src/compile/compile-workflow.js';
import { createValidationServices, diagnosticCode, problemCodes } from '../validation/validation-helpers.js';
import { workflowWith } from '../verifiers/verifier-workflow.js';
import { runSpecValidator } from '../../compile/run-spec-schema.js';

const CRITIC = 'model critic {\n  from: scratch(layers: 1, hidden: 32, vocab: chars)\n}';
const judge = (body: string) =>
    `  criterion answer weight 0.7: number(solver.output) == task.answer\n  judge style weight 0.3 { ${body} }\n`;
const GOOD = 'model: critic  prompt: "Rate {{solver.output}} for {{task.question}} from 1 to 10"  scale: 1..10';

describe('judge criteria', () => {
    it('parse and validate without problems', async () => {
        const { validate } = createValidationServices();
        const document = await validate(workflowWith(CRITIC, judge(GOOD)));
        expect(problemCodes(document)).toEqual([]);
    });

    it.each([
        ['model: critic  prompt: "Rate {{solver.output}}"  scale: 10..1', 'judge-scale'],
        ['model: critic  prompt: "Rate {{solver.output}}"  scale: 5..5', 'judge-scale'],
        ['model: critic  prompt: "  "', 'judge-empty-prompt'],
        ['model: critic  prompt: "x"  max_tokens: 1.5', 'judge-setting'],
        ['prompt: "Rate {{solver.output}}"', 'missing-property'],
        ['model: critic', 'missing-property'],
        ['model: critic  model: critic  prompt: "x"', 'duplicate-property'],
        ['model: base  prompt: "Rate {{solver.output}}"', 'judge-trained-model'],
        ['model: critc  prompt: "Rate {{solver.output}}"', 'linking-error'],
        ['model: critic  prompt: "Rate {{nobody.output}}"', 'linking-error'],
    ])('reports `%s` as %s', async (body, code) => {
        const { validate } = createValidationServices();
        const document = await validate(workflowWith(CRITIC, judge(body)));
        expect(problemCodes(document)).toContain(code);
    });

    it('offers to swap a reversed scale', async () => {
        const { validate, codeActions } = createValidationServices();
        const document = await validate(workflowWith(CRITIC, judge('model: critic  prompt: "x"  scale: 10..1')));
        const [action] = await codeActions(document, 'judge-scale');
        expect(action?.title).toBe('Write the scale as 1..10');
        const edits = Object.values(action!.edit!.changes!)[0]!;
        expect(edits.map((e) => e.newText)).toEqual(['1..10']);
    });

    it('offers a did-you-mean fix for a misspelt model', async () => {
        const { validate, codeActions } = createValidationServices();
        const document = await validate(workflowWith(CRITIC, judge('model: critc  prompt: "x"')));
        const titles = (await codeActions(document, 'linking-error')).map((a) => a.title);
        expect(titles.join('\n')).toMatch(/critic/);
    });

    it('declares a separate model for a judge on a model trained with full weights', async () => {
        const { validate, codeActions } = createValidationServices();
        const text = workflowWith(CRITIC, judge('model: base  prompt: "Rate {{solver.output}}"'));
        const document = await validate(text);
        const diagnostic = document.diagnostics!.find((d) => diagnosticCode(d) === 'judge-trained-model')!;
        expect(diagnostic.message).toMatch(/agent 'solver' trains/);
        const [action] = await codeActions(document, 'judge-trained-model');
        expect(action?.title).toBe("Declare model 'base_judge' for the judge");
        const edits = Object.values(action!.edit!.changes!)[0]!;
        expect(edits.map((e) => e.newText)).toEqual([
            '\n\nmodel base_judge {\n  from: scratch(layers: 2, hidden: 64, vocab: chars)\n}',
            'base_judge',
        ]);
    });

    it('allows a model on which only frozen agents act (its weights never change)', async () => {
        const { validate } = createValidationServices();
        const text = workflowWith(CRITIC, judge('model: base  prompt: "Rate {{solver.output}}"'));
        const frozen = text.replace(/model: base\b(?!_)/, 'model: base frozen');
        expect(frozen).not.toBe(text);
        expect(problemCodes(await validate(frozen))).not.toContain('judge-trained-model');
    });

    it('allows a LoRA model that agents train (the judge uses its base weights)', async () => {
        const { validate } = createValidationServices();
        const text = workflowWith(CRITIC, judge('model: base  prompt: "Rate {{solver.output}}"')).replace(
            'from: scratch(layers: 2, hidden: 64, vocab: chars)',
            'from: scratch(layers: 2, hidden: 64, vocab: chars)\n  adapter: lora(rank: 4, alpha: 8)',
        );
        expect(problemCodes(await validate(text))).toEqual([]);
    });

    it('warns in an untrusted workspace that the judge will not be asked', async () => {
        const { services, shared, validate } = createValidationServices();
        await handleWorkspaceTrust({ trusted: false }, services, shared);
        const document = await validate(workflowWith(CRITIC, judge(GOOD)));
        const warning = document.diagnostics!.find((d) => diagnosticCode(d) === 'judge-untrusted');
        expect(warning?.message).toMatch(/the judge 'style' will not be asked: its prompt is workspace data/);
    });

    it('compiles to a CriterionSpec with a judge', async () => {
        const { validate, shared } = createValidationServices();
        const document = await validate(workflowWith(CRITIC, judge(`${GOOD}  max_tokens: 8  temperature: 0.5`)));
        const result = compileDocument(document, shared.workspace.LangiumDocuments);
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.spec.rubrics[0]!.criteria[1]).toEqual({
            name: 'style',
            weight: 0.3,
            judge: {
                model: 'critic',
                prompt: [
                    { text: 'Rate ' },
                    { ref: { op: 'output', agent: 'solver' } },
                    { text: ' for ' },
                    { ref: { op: 'task', field: 'question' } },
                    { text: ' from 1 to 10' },
                ],
                scale: [1, 10],
                max_tokens: 8,
                temperature: 0.5,
            },
        });
        const schema = runSpecValidator();
        expect(schema(result.spec), JSON.stringify(schema.errors)).toBe(true);
        const both = structuredClone(result.spec);
        Object.assign(both.rubrics[0]!.criteria[1]!, { expr: { op: 'bool', value: true } });
        expect(schema(both)).toBe(false); // a criterion is an expression or a judge, never both
    });
});
