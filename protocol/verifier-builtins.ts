/**
 * The built-in verifiers of the trainer's library (`mas_trainer.verifiers`): the TypeScript twin of
 * trainer/mas_trainer/verifiers/builtins.json, which the trainer reads (test/language/verifier-builtins.test.ts
 * checks that the two list the same names and signatures). A criterion calls one like a declared verifier, with
 * no declaration: `math_equal(solver.output, task.answer)`. Their names are plain identifiers, unlike the
 * expression functions (protocol/expression-functions.ts), which are keywords of the grammar: the two can
 * never clash, and a `verifier` declared with a built-in's name takes precedence in the files that see it.
 */

/** The types a verifier parameter may have. */
export type VerifierParamType = 'string' | 'number' | 'bool';

/** What a verifier returns: a criterion scores a bool as 1/0 and a number as itself. */
export type VerifierReturnType = 'number' | 'bool';

export interface VerifierSignature {
    name: string;
    params: readonly { name: string; type: VerifierParamType }[];
    returns: VerifierReturnType;
    /** One paragraph of Markdown, shown on hover and in completion. */
    doc: string;
}

export const BUILTIN_VERIFIERS: readonly VerifierSignature[] = [
    {
        name: 'math_equal',
        params: [
            { name: 'got', type: 'string' },
            { name: 'want', type: 'string' },
        ],
        returns: 'bool',
        doc: 'Whether two math answers are equal: the last `\\boxed{...}` of each (else the text), compared as numbers, fractions, decimals, LaTeX `\\frac`, with thousands separators, or symbolically.',
    },
    {
        name: 'exact',
        params: [
            { name: 'got', type: 'string' },
            { name: 'want', type: 'string' },
        ],
        returns: 'bool',
        doc: 'Whether the two texts are equal once surrounding whitespace is trimmed.',
    },
    {
        name: 'f1',
        params: [
            { name: 'got', type: 'string' },
            { name: 'want', type: 'string' },
        ],
        returns: 'number',
        doc: 'Token-overlap F1 between the two texts (0 to 1), as in SQuAD.',
    },
    {
        name: 'json_valid',
        params: [{ name: 'text', type: 'string' }],
        returns: 'bool',
        doc: 'Whether the text is valid JSON.',
    },
    {
        name: 'json_schema',
        params: [
            { name: 'text', type: 'string' },
            { name: 'schema', type: 'string' },
        ],
        returns: 'bool',
        doc: 'Whether the text is JSON valid against the JSON Schema given as text.',
    },
    {
        name: 'code_tests',
        params: [
            { name: 'code', type: 'string' },
            { name: 'tests', type: 'string' },
        ],
        returns: 'number',
        doc: 'Runs the Python test snippet against the generated code in a sandbox (own temp dir, timeout, CPU and memory limits, no network) and gives the fraction of tests passed.',
    },
];

/** `name(p: type, ...) -> type`, as a declaration would write it. */
export function verifierUsage(signature: Pick<VerifierSignature, 'name' | 'params' | 'returns'>): string {
    return `${signature.name}(${signature.params.map((p) => `${p.name}: ${p.type}`).join(', ')}) -> ${signature.returns}`;
}
