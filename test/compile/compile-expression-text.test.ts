import { readFileSync } from 'node:fs';
import { EmptyFileSystem } from 'langium';
import { describe, expect, it } from 'vitest';
import { bindNames } from '../../analysis/expression/bind-names.js';
import { evaluate } from '../../analysis/expression/evaluate.js';
import type { CompileExpressionResult, OpenExpr } from '../../protocol/lsp.js';
import type { RunJson } from '../../protocol/run-dir.js';
import { handleCompileExpressionRequest } from '../../server/src/handlers/lsp-requests.js';
import { createMasServices } from '../../server/src/language/mas-module.js';

const run = JSON.parse(
    readFileSync(new URL('../fixtures/runs/lazy-team-3steps/run.json', import.meta.url), 'utf8'),
) as RunJson;
const { Mas } = createMasServices(EmptyFileSystem);

const compile = (text: string, names: string[] = []): CompileExpressionResult =>
    handleCompileExpressionRequest({ text, names }, Mas);

function tree(text: string, names: string[] = []): OpenExpr {
    const result = compile(text, names);
    if (!('expr' in result)) throw new Error(`${text}: ${result.error} (column ${result.column + 1})`);
    return result.expr;
}

function refusal(text: string, names: string[] = []): string {
    const result = compile(text, names);
    if (!('error' in result)) throw new Error(`${text} compiled to ${JSON.stringify(result.expr)}`);
    return `${result.error} (column ${result.column + 1})`;
}

describe('mas/compileExpression: debugger conditions through the grammar', () => {
    it('compiles rubric text to the same tree the compiler wrote into run.json', () => {
        const [firstPart, secondPart] = run.spec.rubrics[0]!.criteria;
        expect(tree('trim(first.output) == task.first')).toEqual(firstPart!.expr);
        expect(tree('trim(second.output) == task.second')).toEqual(secondPart!.expr);
    });

    it("follows the grammar's precedence: or < and < not < comparison < + - < * / % < unary minus", () => {
        expect(tree('not 1 + 2 * -3 < 4 and true or false')).toEqual({
            op: 'or',
            left: {
                op: 'and',
                left: {
                    op: 'not',
                    arg: {
                        op: '<',
                        left: {
                            op: '+',
                            left: { op: 'num', value: 1 },
                            right: {
                                op: '*',
                                left: { op: 'num', value: 2 },
                                right: { op: 'neg', arg: { op: 'num', value: 3 } },
                            },
                        },
                        right: { op: 'num', value: 4 },
                    },
                },
                right: { op: 'bool', value: true },
            },
            right: { op: 'bool', value: false },
        });
    });

    it('tells a regex literal from a division by position', () => {
        expect(tree('output matches /a\\/b/i')).toEqual({
            op: 'matches',
            left: { op: 'ctx', name: 'output' },
            right: { op: 'regex', source: 'a\\/b', flags: 'i' },
        });
        expect(tree('turn / 2 / 1')).toEqual({
            op: '/',
            left: { op: '/', left: { op: 'ctx', name: 'turn' }, right: { op: 'num', value: 2 } },
            right: { op: 'num', value: 1 },
        });
        expect(tree('count(output, /x+/)')).toMatchObject({
            op: 'call',
            fn: 'count',
            args: [{ op: 'ctx' }, { op: 'regex', source: 'x+' }],
        });
    });

    it('compiles bare names (keywords such as credit and reward too) and evaluates them with the shared evaluator', () => {
        const condition = tree('credit < 0 and output contains "REVISE\\n"', ['credit']);
        const ctx = { task: {}, outputs: {}, ctx: { output: 'please REVISE\n' } };
        expect(evaluate(bindNames(condition, { credit: -0.5 }), ctx)).toBe(true);
        expect(evaluate(bindNames(condition, { credit: 0.5 }), ctx)).toBe(false);
        expect(evaluate(bindNames(condition, { credit: null }), ctx)).toBe(false); // null < 0 is false (EXPRESSIONS.md)
        expect(tree('reward + step > length(role)', ['reward', 'step', 'role'])).toEqual({
            op: '>',
            left: { op: '+', left: { op: 'name', name: 'reward' }, right: { op: 'name', name: 'step' } },
            right: { op: 'call', fn: 'length', args: [{ op: 'name', name: 'role' }] },
        });
    });

    it('keeps a bound name that is part of a reference a reference, and a string that spells a name a string', () => {
        expect(tree('task.credit == "credit"', ['credit'])).toEqual({
            op: '==',
            left: { op: 'task', field: 'credit' },
            right: { op: 'str', value: 'credit' },
        });
        expect(tree('step.output', ['step'])).toEqual({ op: 'output', agent: 'step' });
    });

    it('reports syntax errors with a column and the names it knows', () => {
        expect(refusal('credit <')).toMatch(
            /unknown name 'credit'; use one of output, agent, turn, task.<field>, <agent>.output \(column 1\)/,
        );
        expect(refusal('bogus > 1', ['credit'])).toMatch(
            /unknown name 'bogus'; use one of output, agent, turn, credit,/,
        );
        expect(refusal('1 <', ['credit'])).toBe('the expression ends where a value is expected (column 4)');
        expect(refusal('credit credit', ['credit'])).toBe("unexpected 'credit' after a complete expression (column 8)");
        expect(refusal('1 2')).toBe("unexpected '2' after a complete expression (column 3)");
        expect(refusal('a.b')).toMatch(/output.*\(column 3\)/);
        expect(refusal('(1')).toBe("the expression ends where ')' is expected (column 3)");
        expect(refusal('"open')).toBe('unterminated string; close it with " (column 1)');
        expect(refusal('1 + #')).toBe("unexpected character '#' (column 5)");
        expect(refusal('x'.repeat(10_001))).toMatch(/longer than 10 000 characters/);
        expect(refusal(`${'('.repeat(4000)}1${')'.repeat(4000)}`)).toMatch(/Nesting deeper than \d+ levels/);
        expect(refusal(`${'-'.repeat(9000)}1`)).toMatch(/Nesting deeper than \d+ levels/);
        expect(handleCompileExpressionRequest({ text: 1 } as never, Mas)).toEqual({
            error: expect.stringMatching(/needs \{ text: string/),
            column: 0,
        });
    });
});
