import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyAction, createValidationServices, diagnosticCode, problemCodes } from './validation-helpers.js';

const { validate, codeActions } = createValidationServices();
/** A valid file: the linking-error fixture with its misspelt role corrected. */
const valid = readFileSync(join(import.meta.dirname, '../../fixtures/invalid/linking-error.mas'), 'utf8').replace(
    'Solvr',
    'Solver',
);

async function linkingErrors(text: string) {
    const document = await validate(text);
    const messages = (document.diagnostics ?? [])
        .filter((diagnostic) => diagnosticCode(diagnostic) === 'linking-error')
        .map((diagnostic) => diagnostic.message);
    return { document, messages, actions: await codeActions(document, 'linking-error') };
}

describe('unresolved references suggest the closest name in scope', () => {
    it.each([
        ['an agent in the graph', 'start -> solver -> end', 'start -> solvr -> end', 'solvr', 'solver'],
        ['a model', 'model: base', 'model: bse', 'bse', 'base'],
        ['a rubric', 'team: correctness per', 'team: corectness per', 'corectness', 'correctness'],
        ['an agent output', 'number(solver.output)', 'number(slver.output)', 'slver', 'solver'],
    ])('%s', async (_what, right, wrong, typo, name) => {
        expect(valid).toContain(right);
        const { document, messages, actions } = await linkingErrors(valid.replace(right, wrong));
        expect(messages).toHaveLength(1);
        expect(messages[0]).toContain(`'${typo}'`);
        expect(messages[0]).toMatch(new RegExp(`Did you mean '${name}'\\?$`));
        const rename = actions.find((action) => action.title === `Change to '${name}'`);
        expect(rename?.isPreferred).toBe(true);
        const fixed = applyAction(document, rename!);
        expect(fixed).toBe(valid);
        expect(problemCodes(await validate(fixed))).toEqual([]);
    });

    it('offers only names of the referenced type', async () => {
        // `helper` is an agent, not a role: the role reference `Helpr` has no near role to offer.
        const text = valid.replace(
            'agent solver: Solver',
            'agent helper: Helpr {\n  model: base\n  prompt: "x"\n}\n\nagent solver: Solver',
        );
        const { messages, actions } = await linkingErrors(text);
        expect(messages).toHaveLength(1);
        expect(messages[0]).not.toContain('Did you mean');
        expect(actions.map((action) => action.title)).toEqual(["Create the role 'Helpr'"]);
        expect(actions[0]?.isPreferred).toBe(true);
    });

    it('suggests nothing when no name is near', async () => {
        const { messages, actions } = await linkingErrors(valid.replace('model: base', 'model: transformer'));
        expect(messages).toHaveLength(1);
        expect(messages[0]).not.toContain('Did you mean');
        expect(actions).toEqual([]);
    });
});
