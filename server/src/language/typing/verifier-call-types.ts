import type { Expression, Verifier, VerifierCall } from '../generated/ast.js';
import { verifierUsage } from '../../../../protocol/verifier-builtins.js';
import type { ExpressionType, TypeProblemSink } from './expression-types.js';

/** Checks an operand against an expected type, reporting a mismatch (expression-types.ts's `expectType`). */
export type ExpectType = (
    operand: Expression | undefined,
    expected: ExpressionType,
    where: string,
    report: TypeProblemSink,
) => boolean;

/**
 * A verifier call is typed by its declaration (or the built-in's): as many arguments as parameters, each of the
 * parameter's type, and the declared result type, which the enclosing operator or the criterion then checks like
 * any other (a `bool` verifier in arithmetic is a type mismatch there). Unresolved calls are `unknown`: the linker
 * already reported them.
 */
export function inferVerifierCall(
    node: VerifierCall,
    report: TypeProblemSink,
    expectType: ExpectType,
    inferArgument: (arg: Expression) => void,
): ExpressionType {
    const declaration = node.verifier?.ref;
    if (!declaration) {
        node.args.forEach(inferArgument);
        return 'unknown';
    }
    const usage = `\`${verifierUsage(signatureOf(declaration))}\``;
    if (node.args.length !== declaration.params.length) {
        const expected = declaration.params.length;
        report({
            node,
            kind: 'wrong-arity',
            message: `The verifier \`${declaration.name}\` takes ${expected} argument${expected === 1 ? '' : 's'} (${usage}), but ${node.args.length} ${node.args.length === 1 ? 'is' : 'are'} given.`,
        });
        node.args.forEach(inferArgument);
        return declaration.returns ?? 'unknown';
    }
    declaration.params.forEach((param, index) => {
        expectType(node.args[index], param.type ?? 'unknown', `The parameter \`${param.name}\` of ${usage}`, report);
    });
    return declaration.returns ?? 'unknown';
}

/** The signature of a declaration as the catalogue writes it. */
export function signatureOf(declaration: Verifier): {
    name: string;
    params: { name: string; type: 'string' | 'number' | 'bool' }[];
    returns: 'number' | 'bool';
} {
    return {
        name: declaration.name,
        params: declaration.params.map((param) => ({ name: param.name, type: param.type })),
        returns: declaration.returns,
    };
}
