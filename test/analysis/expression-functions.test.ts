// The built-in functions are one table (protocol/expression-functions.ts); the files that cannot read it must list
// exactly its names and arities, so adding a function fails here until every place knows it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../analysis/expression/evaluate.js';
import { EXPRESSION_FUNCTIONS, type FunctionName } from '../../protocol/expression-functions.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const names = Object.keys(EXPRESSION_FUNCTIONS).sort();
const quoted = (text: string) => [...text.matchAll(/'(\w+)'/g)].map((m) => m[1]!).sort();

/** The Python evaluator's arity table, wherever the trainer keeps it (`_ARITY = {...}` in a module of mas_trainer). */
function pythonArity(): Record<string, number> {
    const root = new URL('../../trainer/mas_trainer/', import.meta.url).pathname;
    const files = readdirSync(root, { recursive: true })
        .map(String)
        .filter((f) => f.endsWith('.py'));
    for (const file of files) {
        const table = /_ARITY\s*=\s*(\{[^}]*\})/.exec(readFileSync(join(root, file), 'utf8'))?.[1];
        if (table) return JSON.parse(table) as Record<string, number>;
    }
    throw new Error('no _ARITY table in trainer/mas_trainer');
}

describe('built-in functions: one table, and every other spelling agrees with it', () => {
    it('the grammar and its declared type list the same functions', () => {
        expect(
            quoted(
                /CallExpression returns CallExpression:\s*function=\(([^)]*)\)/.exec(
                    read('grammar/expressions.langium'),
                )![1]!,
            ),
        ).toEqual(names);
        expect(quoted(/function: ([^;]*);/.exec(read('grammar/types.langium'))![1]!)).toEqual(names);
    });

    it('the TextMate grammar colours the same functions', () => {
        expect(
            /\\\\b\(([\w|]+)\)\(\?=\\\\s\*\\\\\(\)/.exec(read('syntaxes/mas.tmLanguage.json'))![1]!.split('|').sort(),
        ).toEqual(names);
    });

    it('the JSON Schema of the expression tree accepts the same functions', () => {
        const schema = JSON.parse(read('protocol/schemas/expression.schema.json'));
        expect([...schema.definitions.call.properties.fn.enum].sort()).toEqual(names);
    });

    it('the Python evaluator has the same arities', () => {
        const arity = Object.fromEntries(
            Object.entries(EXPRESSION_FUNCTIONS).map(([name, f]) => [name, f.parameters.length]),
        );
        expect(pythonArity()).toEqual(arity);
    });

    it('the TypeScript evaluator checks arity from the table', () => {
        const ctx = { task: {}, outputs: {} };
        for (const [name, f] of Object.entries(EXPRESSION_FUNCTIONS)) {
            const args = Array.from({ length: f.parameters.length + 1 }, () => ({ op: 'str', value: 'x' }) as const);
            expect(() => evaluate({ op: 'call', fn: name as FunctionName, args }, ctx)).toThrow(
                `${name}() takes ${f.parameters.length} argument`,
            );
        }
    });
});
