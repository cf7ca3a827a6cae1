import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { describe, expect, it } from 'vitest';
import { compileExpression, splitRegexLiteral } from '../../server/src/compile/compile-expression.js';
import { createMasServices } from '../../server/src/language/mas-module.js';
import { isRubric, type MasFile } from '../../server/src/language/generated/ast.js';
import { evaluate } from '../../analysis/expression/evaluate.js';
import type { Expr } from '../../protocol/expression.js';

const parse = parseHelper<MasFile>(createMasServices(EmptyFileSystem).Mas);

/** Compiles the criterion expression `source` in a small workflow with a data set and an agent `a`. */
async function criterion(source: string): Promise<Expr> {
    const document = await parse(`dataset d from "d.jsonl" { n: number  s: string }
model m { from: hf "x" }
role R
agent a: R { model: m }
rubric r { criterion c weight 1: ${source} }`);
    expect(document.parseResult.parserErrors.map((e) => e.message)).toEqual([]);
    const rubric = document.parseResult.value.elements.find(isRubric)!;
    return compileExpression(rubric.criteria[0]!.expression!);
}

const num = (value: number): Expr => ({ op: 'num', value });

describe('expression compilation', () => {
    it('keeps precedence: * binds tighter than +, comparisons tighter than and, and tighter than or', async () => {
        expect(await criterion('1 + 2 * 3 % 4 - -5 >= 0 and not true or false')).toEqual({
            op: 'or',
            left: {
                op: 'and',
                left: {
                    op: '>=',
                    left: {
                        op: '-',
                        left: {
                            op: '+',
                            left: num(1),
                            right: { op: '%', left: { op: '*', left: num(2), right: num(3) }, right: num(4) },
                        },
                        right: { op: 'neg', arg: num(5) },
                    },
                    right: num(0),
                },
                right: { op: 'not', arg: { op: 'bool', value: true } },
            },
            right: { op: 'bool', value: false },
        });
    });

    it('groups equal-precedence operators from the left and lets `not` take a whole comparison', async () => {
        const bool = (value: boolean): Expr => ({ op: 'bool', value });
        expect(await criterion('8 / 4 / 2 - 1 - 1 == 0')).toEqual({
            op: '==',
            left: {
                op: '-',
                left: {
                    op: '-',
                    left: { op: '/', left: { op: '/', left: num(8), right: num(4) }, right: num(2) },
                    right: num(1),
                },
                right: num(1),
            },
            right: num(0),
        });
        expect(await criterion('true or false or not 1 < 2 and true and false')).toEqual({
            op: 'or',
            left: { op: 'or', left: bool(true), right: bool(false) },
            right: {
                op: 'and',
                left: {
                    op: 'and',
                    left: { op: 'not', arg: { op: '<', left: num(1), right: num(2) } },
                    right: bool(true),
                },
                right: bool(false),
            },
        });
    });

    it('rejects chained comparisons as a syntax error', async () => {
        const document = await parse('rubric r { criterion c weight 1: 1 < 2 < 3 }');
        expect(document.parseResult.parserErrors.length).toBeGreaterThan(0);
    });

    it('compiles references, context names, calls and regex flags', async () => {
        expect(
            await criterion(
                'count(lower(output), /a.b/ims) > length(task.s) or agent == "a" or turn != task.n or a.output contains trim(string(1))',
            ),
        ).toEqual({
            op: 'or',
            left: {
                op: 'or',
                left: {
                    op: 'or',
                    left: {
                        op: '>',
                        left: {
                            op: 'call',
                            fn: 'count',
                            args: [
                                { op: 'call', fn: 'lower', args: [{ op: 'ctx', name: 'output' }] },
                                { op: 'regex', source: 'a.b', flags: 'ims' },
                            ],
                        },
                        right: { op: 'call', fn: 'length', args: [{ op: 'task', field: 's' }] },
                    },
                    right: { op: '==', left: { op: 'ctx', name: 'agent' }, right: { op: 'str', value: 'a' } },
                },
                right: { op: '!=', left: { op: 'ctx', name: 'turn' }, right: { op: 'task', field: 'n' } },
            },
            right: {
                op: 'contains',
                left: { op: 'output', agent: 'a' },
                right: { op: 'call', fn: 'trim', args: [{ op: 'call', fn: 'string', args: [num(1)] }] },
            },
        });
    });

    it('keeps a regex that contains slashes and escapes, and unescapes strings', async () => {
        expect(await criterion('a.output matches /\\/\\d+\\//')).toEqual({
            op: 'matches',
            left: { op: 'output', agent: 'a' },
            right: { op: 'regex', source: '\\/\\d+\\/', flags: '' },
        });
        expect(await criterion('a.output == "say \\"hi\\"\\n"')).toMatchObject({
            right: { op: 'str', value: 'say "hi"\n' },
        });
        expect(splitRegexLiteral('/a\\/b/i')).toEqual({ source: 'a\\/b', flags: 'i' });
    });

    it('gives trees the evaluator runs with the meaning written in the .mas file', async () => {
        const tree = await criterion('number(extract(a.output, /= *(-?\\d+)/)) == task.n and a.output matches /^x/i');
        expect(evaluate(tree, { task: { n: -4 }, outputs: { a: 'X = -4' } })).toBe(true);
        expect(evaluate(tree, { task: { n: 4 }, outputs: { a: 'X = -4' } })).toBe(false);
    });
});
