import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createValidationServices, diagnosticCode } from './validation-helpers.js';

const { validate } = createValidationServices();
/** A valid file: the linking-error fixture with its misspelt role corrected. */
const valid = readFileSync(join(import.meta.dirname, '../../fixtures/invalid/linking-error.mas'), 'utf8').replace(
    'Solvr',
    'Solver',
);

async function parseMessages(text: string, code = 'parsing-error'): Promise<string[]> {
    const document = await validate(text);
    return (document.diagnostics ?? [])
        .filter((diagnostic) => diagnosticCode(diagnostic) === code)
        .map((diagnostic) => diagnostic.message);
}

describe('parse errors say what to add and where', () => {
    it('an unclosed `{{` in a prompt', async () => {
        const messages = await parseMessages(valid.replace('{{task.question}}', '{{task.question'));
        expect(messages).toEqual([
            'A `{{` in this prompt is not closed: add `}}` after `question` on line 14, before the closing quote.',
        ]);
        const lexing = await parseMessages(valid.replace('{{task.question}}', '{{task.question'), 'lexing-error');
        expect(lexing).toHaveLength(1);
        expect(lexing[0]).toContain("close the prompt's last `{{` hole with `}}`");
    });

    it.each([
        ['graph', 'start -> solver -> end\n}', 'start -> solver -> end\n', '`end` on line 18', '`rubric`'],
        ['model', 'vocab: chars)\n}', 'vocab: chars)\n', '`)` on line 7', '`role`'],
        ['train', 'credit: outcome\n}', 'credit: outcome\n', '`outcome` on line 29', 'the end of the file'],
    ])('a missing `}` of the %s block', async (_block, right, wrong, after, found) => {
        expect(valid).toContain(right);
        const messages = await parseMessages(valid.replace(right, wrong));
        expect(messages[0]).toBe(`Missing \`}\`: add it after ${after} to close its \`{\` (found ${found} instead).`);
        expect(messages.join('\n')).not.toMatch(/token of type/);
    });
});
