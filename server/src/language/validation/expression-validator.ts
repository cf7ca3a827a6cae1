import { AstUtils, type ValidationAcceptor } from 'langium';
import type { Range } from 'vscode-languageserver';
import {
    isBinaryExpression,
    isContextRef,
    type Criterion,
    type EdgeChain,
    type Expression,
    type RegexLiteral,
} from '../generated/ast.js';
import { describe, inferExpressionType, type TypeProblem } from '../typing/expression-types.js';
import { regexCompileError, regexDialectProblem, splitRegex } from '../typing/regex-dialect.js';
import { nestedQuantifier } from '../typing/regex-nesting.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';

/** Typed expressions: edge conditions are bool, criteria score as bool or number, regexes are portable. */
export class ExpressionValidator {
    checkEdgeCondition(chain: EdgeChain, accept: ValidationAcceptor): void {
        if (!chain.condition) return;
        const type = inferExpressionType(chain.condition, (problem) => reportTypeProblem(problem, accept));
        if (type !== 'bool' && type !== 'unknown') {
            report(
                accept,
                'error',
                IssueCodes.ConditionNotBool,
                `An edge condition must be true or false, but this is ${describe(type)}; compare it, for example \`... contains "DONE"\` or \`... > 0\`.`,
                { node: chain, property: 'condition' },
            );
        }
        for (const ref of AstUtils.streamAst(chain.condition).filter(isContextRef)) {
            report(
                accept,
                'error',
                IssueCodes.ContextRefUnavailable,
                `\`${ref.name}\` names the decision being scored, which only exists in per-turn and per-agent rubrics; in an edge condition read an agent's output instead, for example \`solver.output\`.`,
                { node: ref },
            );
        }
    }

    checkCriterionType(criterion: Criterion, accept: ValidationAcceptor): void {
        if (!criterion.expression) return; // a judge criterion: judge-validator.ts
        const type = inferExpressionType(criterion.expression, (problem) => reportTypeProblem(problem, accept));
        if (type === 'string' || type === 'regex') {
            report(
                accept,
                'error',
                IssueCodes.CriterionNotScorable,
                `The criterion '${criterion.name}' gives ${describe(type)}, but a criterion scores a bool (1 or 0) or a number; compare the text, for example \`... contains "x"\`, or measure it with \`length(...)\`.`,
                { node: criterion, property: 'expression' },
            );
        }
    }

    checkRegexLiteral(literal: RegexLiteral, accept: ValidationAcceptor): void {
        const parts = splitRegex(literal.value ?? '');
        if (!parts) return;
        const dialectProblem = regexDialectProblem(parts.source);
        if (dialectProblem) {
            report(
                accept,
                'error',
                IssueCodes.UnsupportedRegex,
                `${dialectProblem} (The editor and the trainer evaluate rubrics with the same linear-time regex dialect.)`,
                { node: literal },
            );
            return;
        }
        const compileError = regexCompileError(parts.source, parts.flags);
        if (compileError) {
            report(accept, 'error', IssueCodes.InvalidRegex, compileError, { node: literal });
            return;
        }
        const nested = nestedQuantifier(parts.source);
        if (nested) {
            report(
                accept,
                'warning',
                IssueCodes.NestedQuantifier,
                `\`${nested}\` repeats something that already repeats (or alternatives that start alike): backtracking engines such as Python's \`re\` or JavaScript's RegExp take exponential time on it. MAS matches it in linear time, but write it without the nesting, for example \`(a+)+\` as \`a+\`, \`(a|aa)+\` as \`a+\`.`,
                { node: literal },
            );
        }
    }
}

function reportTypeProblem(problem: TypeProblem, accept: ValidationAcceptor): void {
    const code = problem.kind === 'wrong-arity' ? IssueCodes.WrongArity : IssueCodes.TypeMismatch;
    report(accept, 'error', code, problem.message, { node: problem.node, range: innerChainRange(problem.node) });
}

/**
 * The text of a binary node inside an `infix` chain: Langium gives every node of `a + b * c` the whole
 * chain's CST node, so `b * c` is located by its first and last operand instead.
 */
function innerChainRange(node: Expression): Range | undefined {
    const chain = node.$cstNode;
    if (!isBinaryExpression(node) || !chain || node.$container.$cstNode !== chain) return undefined;
    let first: Expression = node.left;
    while (isBinaryExpression(first) && first.$cstNode === chain) first = first.left;
    let last: Expression = node.right;
    while (isBinaryExpression(last) && last.$cstNode === chain) last = last.right;
    const start = first.$cstNode?.range.start;
    const end = last.$cstNode?.range.end;
    return start && end ? { start, end } : undefined;
}
