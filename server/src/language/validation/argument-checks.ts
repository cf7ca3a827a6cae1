import { GrammarUtils, type AstNode, type ValidationAcceptor } from 'langium';
import {
    isIdValue,
    isListValue,
    isNumberValue,
    isStringValue,
    type ArgValue,
    type NamedArg,
} from '../generated/ast.js';
import { closestName, type ParameterInfo } from '../catalog/parameters.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';

/** A "did you mean" fix that replaces the text of `node.property` with `suggestion`. */
export function didYouMeanFix(node: AstNode, property: string, suggestion: string | undefined): QuickFix[] {
    const range = GrammarUtils.findNodeForProperty(node.$cstNode, property)?.range;
    return suggestion && range
        ? [{ title: `Change to '${suggestion}'`, edits: [{ range, newText: suggestion }], preferred: true }]
        : [];
}

/** ` (did you mean 'x'?)` or nothing. */
export function didYouMean(suggestion: string | undefined): string {
    return suggestion ? ` Did you mean '${suggestion}'?` : '';
}

/**
 * Checks the named arguments of `grpo(...)`, `counterfactual(...)`, `scratch(...)`, `lora(...)`
 * against the catalogue: known names, no repeats, values of the right kind and range, required ones given.
 */
export function checkArguments(
    owner: AstNode,
    what: string,
    args: readonly NamedArg[],
    parameters: readonly ParameterInfo[],
    accept: ValidationAcceptor,
): void {
    const known = parameters.map((parameter) => parameter.name);
    const seen = new Set<string>();
    for (const arg of args) {
        if (!arg.name) continue;
        if (seen.has(arg.name)) {
            report(
                accept,
                'error',
                IssueCodes.DuplicateParameter,
                `${what} is given '${arg.name}' more than once; keep one value.`,
                { node: arg, property: 'name' },
            );
            continue;
        }
        seen.add(arg.name);
        const parameter = parameters.find((candidate) => candidate.name === arg.name);
        if (!parameter) {
            const suggestion = closestName(arg.name, known);
            const accepted =
                known.length > 0
                    ? `it accepts ${known.map((name) => `'${name}'`).join(', ')}`
                    : 'it takes no arguments';
            report(
                accept,
                'error',
                IssueCodes.UnknownParameter,
                `${what} has no parameter '${arg.name}': ${accepted}.${didYouMean(suggestion)}`,
                { node: arg, property: 'name' },
                didYouMeanFix(arg, 'name', suggestion),
            );
            continue;
        }
        const problem = valueProblem(arg.value, parameter);
        if (problem) {
            report(accept, 'error', IssueCodes.InvalidParameter, `The parameter '${arg.name}' of ${what} ${problem}`, {
                node: arg,
                property: 'value',
            });
        }
    }
    for (const parameter of parameters.filter((candidate) => candidate.required && !seen.has(candidate.name))) {
        report(
            accept,
            'error',
            IssueCodes.MissingParameter,
            `${what} needs the parameter '${parameter.name}' (${parameter.doc}); add \`${parameter.name}: ...\`.`,
            { node: owner },
        );
    }
}

/** Why a value does not fit a parameter, as the end of a sentence, or undefined when it fits. */
export function valueProblem(value: ArgValue | undefined, parameter: ParameterInfo): string | undefined {
    if (!value) return undefined;
    switch (parameter.kind) {
        case 'integer':
        case 'number':
            return isNumberValue(value)
                ? numberProblem(value.value, parameter)
                : `must be a ${parameter.kind === 'integer' ? 'whole number' : 'number'}; write one${rangeText(parameter)}.`;
        case 'integer-list':
            if (!isListValue(value)) return 'must be a list of whole numbers such as `[2, 4]`.';
            if (value.items.length === 0) return 'must list at least one whole number, for example `[2, 4]`.';
            return value.items.map((item) => numberProblem(item, { ...parameter, kind: 'integer' })).find(Boolean);
        case 'identifier': {
            const allowed = parameter.values ?? [];
            const name = isIdValue(value) ? value.value : undefined;
            if (name !== undefined && allowed.includes(name)) return undefined;
            return `must be one of ${allowed.map((v) => `\`${v}\``).join(', ')}.${didYouMean(name ? closestName(name, allowed) : undefined)}`;
        }
        case 'path':
            if (!isStringValue(value)) return 'must be a quoted folder path such as `"adapters/solver"`.';
            return value.value.trim()
                ? undefined
                : 'is empty; write the folder of an adapter such as `"adapters/solver"`.';
    }
}

/** Range and integer-ness of a number, as the end of a sentence. */
export function numberProblem(value: number, parameter: ParameterInfo): string | undefined {
    if (parameter.kind === 'integer' && !Number.isInteger(value))
        return `must be a whole number, not ${value}; write one${rangeText(parameter)}.`;
    if (
        (parameter.min !== undefined && value < parameter.min) ||
        (parameter.max !== undefined && value > parameter.max)
    ) {
        return `is ${value}, outside the allowed range; use a value${rangeText(parameter)}.`;
    }
    return undefined;
}

function rangeText(parameter: ParameterInfo): string {
    if (parameter.min !== undefined && parameter.max !== undefined) return ` from ${parameter.min} to ${parameter.max}`;
    if (parameter.min !== undefined) return ` of at least ${parameter.min}`;
    if (parameter.max !== undefined) return ` of at most ${parameter.max}`;
    return '';
}
