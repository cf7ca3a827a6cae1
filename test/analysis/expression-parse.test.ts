import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../analysis/expression/evaluate.js';
import { bindNames, parseExpression } from '../../analysis/expression/parse.js';
import type { RunJson } from '../../protocol/run-dir.js';

const run = JSON.parse(readFileSync(new URL('../fixtures/runs/lazy-team-3steps/run.json', import.meta.url), 'utf8')) as RunJson;

describe('expression text parser (debugger conditions)', () => {
    it('parses rubric text to the same tree the compiler wrote into run.json', () => {
        const [firstPart, secondPart] = run.spec.rubrics[0]!.criteria;
        expect(parseExpression('trim(first.output) == task.first')).toEqual(firstPart!.expr);
        expect(parseExpression('trim(second.output) == task.second')).toEqual(secondPart!.expr);
    });

    it('follows the grammar\'s precedence: or < and < not < comparison < + - < * / % < unary minus', () => {
        expect(parseExpression('not 1 + 2 * -3 < 4 and true or false')).toEqual({
            op: 'or',
            left: {
                op: 'and',
                left: { op: 'not', arg: { op: '<', left: { op: '+', left: { op: 'num', value: 1 }, right: { op: '*', left: { op: 'num', value: 2 }, right: { op: 'neg', arg: { op: 'num', value: 3 } } } }, right: { op: 'num', value: 4 } } },
                right: { op: 'bool', value: true },
            },
            right: { op: 'bool', value: false },
        });
    });

    it('tells a regex literal from a division by position', () => {
        expect(parseExpression('output matches /a\\/b/i')).toEqual({ op: 'matches', left: { op: 'ctx', name: 'output' }, right: { op: 'regex', source: 'a\\/b', flags: 'i' } });
        expect(parseExpression('turn / 2 / 1')).toEqual({ op: '/', left: { op: '/', left: { op: 'ctx', name: 'turn' }, right: { op: 'num', value: 2 } }, right: { op: 'num', value: 1 } });
        expect(parseExpression('count(output, /x+/)')).toMatchObject({ op: 'call', fn: 'count', args: [{ op: 'ctx' }, { op: 'regex', source: 'x+' }] });
    });

    it('binds free names and evaluates with the shared evaluator', () => {
        const tree = parseExpression('credit < 0 and output contains "REVISE\\n"', ['credit']);
        const ctx = { task: {}, outputs: {}, ctx: { output: 'please REVISE\n' } };
        expect(evaluate(bindNames(tree, { credit: -0.5 }), ctx)).toBe(true);
        expect(evaluate(bindNames(tree, { credit: 0.5 }), ctx)).toBe(false);
        expect(evaluate(bindNames(tree, { credit: null }), ctx)).toBe(false); // null < 0 is false (EXPRESSIONS.md)
    });

    it('reports syntax errors with a column and the names it knows', () => {
        expect(() => parseExpression('credit <')).toThrow(/unknown name 'credit'/);
        expect(() => parseExpression('1 <', ['credit'])).toThrow(/ends where a value is expected \(column 4\)/);
        expect(() => parseExpression('"open')).toThrow(/unterminated string/);
        expect(() => parseExpression('a.b')).toThrow(/neither task.<field> nor <agent>.output/);
        expect(() => parseExpression('1 2')).toThrow(/unexpected '2'/);
        expect(() => parseExpression('#')).toThrow(/unexpected character '#'/);
    });
});
