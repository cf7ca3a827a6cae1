import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_VERIFIERS } from '../../../protocol/verifier-builtins.js';
import { EXPRESSION_FUNCTIONS } from '../../../protocol/expression-functions.js';

const BUILTINS_JSON = join(import.meta.dirname, '../../../trainer/mas_trainer/verifiers/builtins.json');

describe('the built-in verifiers', () => {
    it('are those of the trainer library (builtins.json), in its order', () => {
        const trainer: unknown = JSON.parse(readFileSync(BUILTINS_JSON, 'utf8'));
        expect(BUILTIN_VERIFIERS).toEqual(trainer);
    });

    it('never share a name with an expression function', () => {
        const functions = new Set(Object.keys(EXPRESSION_FUNCTIONS));
        expect(BUILTIN_VERIFIERS.map((v) => v.name).filter((name) => functions.has(name))).toEqual([]);
    });
});
