/**
 * The built-in functions of the expression language (protocol/EXPRESSIONS.md): the one table on the TypeScript
 * side. The evaluator (analysis/expression/evaluate.ts) reads the arity from it, the language server's type checker
 * (server/src/language/typing/expression-types.ts) the parameter and result types and the usage for its messages.
 * The names are also written where a table cannot be read: the grammar (grammar/expressions.langium, its declared
 * type in grammar/types.langium), the TextMate grammar, the JSON Schema and the Python evaluator;
 * test/analysis/expression-functions.test.ts checks that each of them lists exactly these.
 */

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

export const EXPRESSION_FUNCTIONS = {
    extract: { parameters: [['string'], ['regex']], result: 'string', usage: 'extract(text, /regex/)' },
    count: { parameters: [['string'], ['regex']], result: 'number', usage: 'count(text, /regex/)' },
    length: { parameters: [['string']], result: 'number', usage: 'length(text)' },
    number: { parameters: [['number', 'bool', 'string']], result: 'number', usage: 'number(value)' },
    lower: { parameters: [['string']], result: 'string', usage: 'lower(text)' },
    upper: { parameters: [['string']], result: 'string', usage: 'upper(text)' },
    trim: { parameters: [['string']], result: 'string', usage: 'trim(text)' },
    string: { parameters: [['string', 'bool', 'number']], result: 'string', usage: 'string(value)' },
} as const satisfies Record<string, FunctionSignature>;

export type FunctionName = keyof typeof EXPRESSION_FUNCTIONS;

/** The signature of a built-in function, or undefined for a name that is not one (a hostile tree's `fn`). */
export function functionSignature(name: string): FunctionSignature | undefined {
    return Object.prototype.hasOwnProperty.call(EXPRESSION_FUNCTIONS, name)
        ? EXPRESSION_FUNCTIONS[name as FunctionName]
        : undefined;
}
