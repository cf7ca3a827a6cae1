/**
 * The built-in verifiers of the trainer's library (`mas_trainer.verifiers`): the TypeScript twin of
 * trainer/mas_trainer/verifiers/builtins.json, which the trainer reads (test/language/verifiers/verifier-builtins.test.ts
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
        doc: 'True when the last \\boxed{...} answer in `got` (or all of `got` when it has none) is the same number as `want`: fractions, decimals, LaTeX \\frac / \\dfrac / \\sqrt / \\pi, thousands separators (1,234) and signs are read exactly; a trailing % is dropped (50\\% equals 50). Pass a number field as string(task.answer). Answers that are not numbers are compared as whitespace-free text.',
    },
    {
        name: 'exact',
        params: [
            { name: 'got', type: 'string' },
            { name: 'want', type: 'string' },
        ],
        returns: 'bool',
        doc: 'True when the texts are equal after trimming and collapsing every run of whitespace to one space; case and punctuation count.',
    },
    {
        name: 'f1',
        params: [
            { name: 'got', type: 'string' },
            { name: 'want', type: 'string' },
        ],
        returns: 'number',
        doc: 'SQuAD-style token F1 between `got` and `want` (0 to 1): lower case, punctuation and the articles a/an/the removed, tokens counted with multiplicity.',
    },
    {
        name: 'json_valid',
        params: [{ name: 'got', type: 'string' }],
        returns: 'bool',
        doc: 'True when all of `got` is standard JSON (no NaN/Infinity, nesting at most 1000 deep; no Markdown fence).',
    },
    {
        name: 'json_schema',
        params: [
            { name: 'got', type: 'string' },
            { name: 'schema', type: 'string' },
        ],
        returns: 'bool',
        doc: 'True when `got` is standard JSON that the JSON Schema `schema` (a JSON string) accepts; `format` is not asserted and $ref never leaves the schema. An invalid schema scores null.',
    },
    {
        name: 'code_tests',
        params: [
            { name: 'code', type: 'string' },
            { name: 'tests', type: 'string' },
        ],
        returns: 'number',
        doc: 'The fraction of the top-level `assert` statements in `tests` that pass after `code` runs, in a sandbox (own temporary directory, timeout, CPU/memory/file/process limits, no network, no inherited environment). Code that raises or times out scores 0; tests that do not parse or hold no assert score null.',
    },
];

/** `name(p: type, ...) -> type`, as a declaration would write it. */
export function verifierUsage(signature: Pick<VerifierSignature, 'name' | 'params' | 'returns'>): string {
    return `${signature.name}(${signature.params.map((p) => `${p.name}: ${p.type}`).join(', ')}) -> ${signature.returns}`;
}
