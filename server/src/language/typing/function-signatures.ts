import type { CallExpression } from '../generated/ast.js';

/** The value types of the expression language (regexes are only arguments, see EXPRESSIONS.md). */
export type ValueType = 'string' | 'number' | 'bool';

/** Parameter types a built-in function accepts, position by position, and what it returns. */
export interface FunctionSignature {
    /** For each parameter, the accepted types (`regex` for a regular expression literal). */
    parameters: readonly (readonly (ValueType | 'regex')[])[];
    result: ValueType;
    /** How the call is written, for messages. */
    usage: string;
}

/** The built-in functions of protocol/EXPRESSIONS.md. */
export const FUNCTION_SIGNATURES: Readonly<Record<CallExpression['function'], FunctionSignature>> = {
    extract: { parameters: [['string'], ['regex']], result: 'string', usage: 'extract(text, /regex/)' },
    count: { parameters: [['string'], ['regex']], result: 'number', usage: 'count(text, /regex/)' },
    length: { parameters: [['string']], result: 'number', usage: 'length(text)' },
    number: { parameters: [['number', 'bool', 'string']], result: 'number', usage: 'number(value)' },
    string: { parameters: [['string', 'bool', 'number']], result: 'string', usage: 'string(value)' },
    lower: { parameters: [['string']], result: 'string', usage: 'lower(text)' },
    upper: { parameters: [['string']], result: 'string', usage: 'upper(text)' },
    trim: { parameters: [['string']], result: 'string', usage: 'trim(text)' },
};
