import { isAdapter, isMethodCall, isScratchSource, isTrainSetting, type NamedArg } from '../generated/ast.js';
import type { AstNode } from 'langium';
import { findMethod, type MethodInfo, type ParameterInfo } from '../catalog/parameters.js';
import {
    ALGORITHMS,
    CREDIT_METHODS,
    LORA_PARAMETERS,
    SCRATCH_PARAMETERS,
    TRAIN_SETTINGS,
} from '../catalog/training-catalog.js';

/**
 * Markdown documentation rendered from the training catalogue. Hover and completion both use it,
 * so the text a user reads while choosing a credit method is the text they see when hovering it.
 */

/** The methods a train setting may name (`algorithm: grpo`, `credit: outcome`); empty for other settings. */
export function methodsForSetting(key: string | undefined): readonly MethodInfo[] {
    switch (key) {
        case 'algorithm':
            return ALGORITHMS;
        case 'credit':
            return CREDIT_METHODS;
        default:
            return [];
    }
}

/** The catalogue entry of a train setting key. */
export function settingInfo(key: string | undefined): ParameterInfo | undefined {
    return TRAIN_SETTINGS.find((setting) => setting.name === key);
}

/**
 * The parameters accepted inside a call: `scratch(...)`, `lora(...)`, or an algorithm / credit
 * method named by the setting `settingKey`. Undefined when the call is not in the catalogue.
 */
export function parametersOfCall(callName: string, settingKey?: string): readonly ParameterInfo[] | undefined {
    if (callName === 'scratch') {
        return SCRATCH_PARAMETERS;
    }
    if (callName === 'lora') {
        return LORA_PARAMETERS;
    }
    return findMethod(methodsForSetting(settingKey), callName)?.parameters;
}

/** The parameters a `NamedArg` of the AST may use, found from the call that contains it. */
export function parametersAround(arg: NamedArg): readonly ParameterInfo[] | undefined {
    const call: AstNode | undefined = arg.$container;
    if (isScratchSource(call)) {
        return SCRATCH_PARAMETERS;
    }
    if (isAdapter(call)) {
        return LORA_PARAMETERS;
    }
    if (isMethodCall(call) && isTrainSetting(call.$container)) {
        return parametersOfCall(call.name, call.$container.key);
    }
    return undefined;
}

/** Summary, formula (as a code block), parameters and source of an algorithm or credit method. */
export function methodMarkdown(method: MethodInfo, kind: string): string {
    const lines = [`**${method.name}** — ${kind}`, '', method.summary];
    if (method.formula) {
        lines.push('', '```', method.formula, '```');
    }
    if (method.parameters.length > 0) {
        lines.push('', 'Parameters:', ...method.parameters.map((parameter) => `- ${parameterMarkdown(parameter)}`));
    }
    if (method.source) {
        lines.push('', `Source: ${method.source}`);
    }
    return lines.join('\n');
}

/** One parameter: name, value kind, bounds, default, and what it does. */
export function parameterMarkdown(parameter: ParameterInfo): string {
    const facts: string[] = [describeKind(parameter)];
    if (parameter.required) {
        facts.push('required');
    }
    if (parameter.default !== undefined) {
        facts.push(`default \`${formatDefault(parameter.default)}\``);
    }
    return `\`${parameter.name}\` (${facts.join(', ')}): ${parameter.doc}`;
}

function describeKind(parameter: ParameterInfo): string {
    if (parameter.values) {
        return `one of ${parameter.values.map((value) => `\`${value}\``).join(', ')}`;
    }
    const bounds =
        parameter.min !== undefined && parameter.max !== undefined ? ` ${parameter.min}…${parameter.max}` : '';
    return `${parameter.kind}${bounds}`;
}

function formatDefault(value: number | number[] | string): string {
    return Array.isArray(value) ? `[${value.join(', ')}]` : String(value);
}
