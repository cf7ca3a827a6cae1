// Users look codes up in the README and in docs/diagnostic-codes.md: both must list every issue code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IssueCodes } from '../../server/src/language/validation/issue-codes.js';

const codes = [...new Set(Object.values(IssueCodes))];

describe('documentation of diagnostic codes', () => {
    it.each(['docs/diagnostic-codes.md', 'README.md'])('%s names every issue code', (file) => {
        const text = readFileSync(file, 'utf8');
        expect(codes.filter((code) => !text.includes(`\`${code}\``))).toEqual([]);
    });
});
