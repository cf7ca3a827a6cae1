import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IssueCodes } from '../../../server/src/language/validation/issue-codes.js';
import { everythingButMissing } from './fake-file-system.js';
import { createValidationServices, problemCodes } from './validation-helpers.js';

const FIXTURES = join(import.meta.dirname, '../../fixtures/invalid');
const fixtureFiles = readdirSync(FIXTURES)
    .filter((name) => name.endsWith('.mas'))
    .sort();
const { validate, services } = createValidationServices(everythingButMissing);
/** Codes that depend on the editor's state rather than the text: the test sets that state for their fixture. */
const EDITOR_STATE: Record<string, { trusted: boolean }> = {
    'verifier-untrusted': { trusted: false },
    'judge-untrusted': { trusted: false },
};

describe('test/fixtures/invalid: each file gives exactly the diagnostic code it is named after', () => {
    it.each(fixtureFiles)('%s', async (file) => {
        const code = basename(file, '.mas');
        services.workspace.WorkspaceTrust.set(EDITOR_STATE[code]?.trusted ?? true);
        const document = await validate(readFileSync(join(FIXTURES, file), 'utf8'));
        expect(new Set(problemCodes(document))).toEqual(new Set([code]));
    });

    it('has a fixture for every issue code', () => {
        const codes = new Set(fixtureFiles.map((file) => basename(file, '.mas')));
        expect(Object.values(IssueCodes).filter((code) => !codes.has(code))).toEqual([]);
    });
});
