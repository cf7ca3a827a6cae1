// An import path with an unpaired UTF-16 surrogate (found by the mutation fuzzer: a fixture file cannot keep it,
// UTF-8 turns it into U+FFFD) made URI encoding throw inside scope computation and code actions.
import { describe, expect, it } from 'vitest';
import { visibleDocuments } from '../../../server/src/language/scope/imports.js';
import { createValidationServices } from './validation-helpers.js';

const { validate, codeActions } = createValidationServices();

describe('import paths that cannot name a file', () => {
    it('reports an unpaired surrogate as a broken character, and scopes and quick fixes still work', async () => {
        const document = await validate(
            'import "a\uD800b"\nrole R\nagent x: R { model: nowhere  prompt: "{{task.q}}" }\n',
        );
        const messages = (document.diagnostics ?? []).map((d) => `${d.code} ${d.message}`);
        expect(messages.some((m) => m.startsWith('unresolved-import') && m.includes('unpaired UTF-16 surrogate'))).toBe(
            true,
        );
        expect(visibleDocuments(document.parseResult.value, { hasDocument: () => false } as never)).toEqual([document]);
        await expect(codeActions(document, 'linking-error')).resolves.toBeInstanceOf(Array);
    });

    it('still calls an empty path empty', async () => {
        const document = await validate('import ""\nrole R\n');
        expect((document.diagnostics ?? []).map((d) => d.message)).toContainEqual(
            expect.stringContaining('The import path is empty'),
        );
    });
});
