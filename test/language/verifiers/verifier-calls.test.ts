import { describe, expect, it } from 'vitest';
import { isVerifierCall, type VerifierCall } from '../../../server/src/language/generated/ast.js';
import { AstUtils } from 'langium';
import { createValidationServices, diagnosticCode, problemCodes } from '../validation/validation-helpers.js';
import { workflowWith } from './verifier-workflow.js';

const { validate } = createValidationServices();
const EQUAL = 'verifier equal(got: string, want: number) -> bool from "verifiers.py" function math_equal';

function messages(document: Awaited<ReturnType<typeof validate>>, code: string): string[] {
    return (document.diagnostics ?? []).filter((d) => diagnosticCode(d) === code).map((d) => d.message);
}

describe('verifier declarations and calls', () => {
    it('parses a declaration and links a call in a criterion to it', async () => {
        const document = await validate(
            workflowWith(EQUAL, '  criterion answer weight 1: equal(solver.output, task.answer)\n'),
        );
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(problemCodes(document)).toEqual([]);
        const call = AstUtils.streamAst(document.parseResult.value).find(isVerifierCall) as VerifierCall;
        const declaration = call.verifier.ref!;
        expect(declaration.name).toBe('equal');
        expect(declaration.function).toBe('math_equal');
        expect(declaration.file).toBe('verifiers.py');
        expect(declaration.params.map((p) => `${p.name}:${p.type}`)).toEqual(['got:string', 'want:number']);
        expect(declaration.returns).toBe('bool');
    });

    it('links a call of a built-in verifier without a declaration', async () => {
        const document = await validate(
            workflowWith('', '  criterion answer weight 1: math_equal(solver.output, string(task.answer))\n'),
        );
        expect(problemCodes(document)).toEqual([]);
        const call = AstUtils.streamAst(document.parseResult.value).find(isVerifierCall) as VerifierCall;
        expect(call.verifier.ref?.name).toBe('math_equal');
    });

    it('prefers a declaration over the built-in of the same name', async () => {
        const document = await validate(
            workflowWith(
                'verifier exact(got: string) -> number from "v.py"',
                '  criterion answer weight 1: exact(solver.output)\n',
            ),
        );
        expect(problemCodes(document)).toEqual([]);
    });

    it('reports an unknown verifier with the closest name in scope', async () => {
        const document = await validate(
            workflowWith(EQUAL, '  criterion answer weight 1: equl(solver.output, task.answer)\n'),
        );
        expect(messages(document, 'linking-error').join()).toContain("Did you mean 'equal'?");
    });

    it('checks the number of arguments against the declaration', async () => {
        const document = await validate(workflowWith(EQUAL, '  criterion answer weight 1: equal(solver.output)\n'));
        expect(problemCodes(document)).toEqual(['wrong-arity']);
        expect(messages(document, 'wrong-arity')[0]).toContain('equal(got: string, want: number) -> bool');
    });

    it('checks argument types against the declared parameters', async () => {
        const document = await validate(
            workflowWith(EQUAL, '  criterion answer weight 1: equal(solver.output, solver.output)\n'),
        );
        expect(problemCodes(document)).toEqual(['type-mismatch']);
        expect(messages(document, 'type-mismatch')[0]).toMatch(
            /parameter `want`.*expects a number.*`number\(\.\.\.\)`/,
        );
    });

    it('checks the result type where the call is used: a bool verifier in arithmetic, a number one as a condition', async () => {
        const declarations = `${EQUAL}\nverifier score(text: string) -> number from "verifiers.py"`;
        const arithmetic = await validate(
            workflowWith(declarations, '  criterion answer weight 1: equal(solver.output, task.answer) * 2\n'),
        );
        expect(problemCodes(arithmetic)).toEqual(['type-mismatch']);
        const logic = await validate(
            workflowWith(declarations, '  criterion answer weight 1: score(solver.output) and true\n'),
        );
        expect(problemCodes(logic)).toEqual(['type-mismatch']);
        const numeric = await validate(
            workflowWith(declarations, '  criterion answer weight 1: score(solver.output) * 0.5\n'),
        );
        expect(problemCodes(numeric)).toEqual([]);
    });

    it('refuses a verifier call in an edge condition', async () => {
        const text = workflowWith(EQUAL, '  criterion answer weight 1: equal(solver.output, task.answer)\n').replace(
            'start -> solver -> end',
            'start -> solver\n  solver -> end when exact(solver.output, "x")',
        );
        const document = await validate(text);
        expect(problemCodes(document)).toContain('verifier-in-condition');
    });

    it('reports duplicate parameter names and duplicate verifier names', async () => {
        const document = await validate(
            workflowWith(
                `verifier twice(a: string, a: string) -> bool from "v.py"\nverifier twice(b: string) -> bool from "v.py"`,
                '  criterion answer weight 1: twice(solver.output)\n',
            ),
        );
        const codes = problemCodes(document);
        expect(codes).toContain('duplicate-parameter');
        expect(codes.filter((c) => c === 'duplicate-name')).toHaveLength(2);
    });

    it('lets an agent still be named `verifier` (the word starts a declaration only at the top level)', async () => {
        const text = workflowWith(EQUAL, '  criterion answer weight 1: equal(verifier.output, task.answer)\n')
            .replace('agent solver: Solver', 'agent verifier: Solver')
            .replace('start -> solver -> end', 'start -> verifier -> end');
        const document = await validate(text);
        expect(document.parseResult.parserErrors).toEqual([]);
        expect(problemCodes(document)).toEqual([]);
    });
});
