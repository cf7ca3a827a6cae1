import type { FunctionName } from './expression-functions.js';

export type { FunctionName };

/**
 * The JSON expression tree that edge conditions and rubric criteria compile to. Evaluated by
 * `analysis/` (TypeScript) and `mas_trainer` (Python); the conformance vectors in
 * `test/fixtures/expressions/` keep the two evaluators identical. Semantics: protocol/EXPRESSIONS.md.
 */
export type Expr =
    | { op: 'num'; value: number }
    | { op: 'str'; value: string }
    | { op: 'bool'; value: boolean }
    /** JavaScript-syntax regex restricted to the subset Python's `re` reads the same; flags ⊆ "ims". */
    | { op: 'regex'; source: string; flags: string }
    /** A field of the task (data set row); `null` when the row lacks it. */
    | { op: 'task'; field: string }
    /** The latest output of an agent in this trajectory; `""` when it has not spoken yet. */
    | { op: 'output'; agent: string }
    /** The decision being scored: its output, its agent's name, its turn index (0-based). */
    | { op: 'ctx'; name: ContextName }
    | { op: UnaryOp; arg: Expr }
    | { op: BinaryOp; left: Expr; right: Expr }
    | { op: 'call'; fn: FunctionName; args: Expr[] }
    /**
     * A Python verifier: one of the RunSpec's `verifiers` by name, else a built-in of the trainer's library
     * (protocol/verifier-builtins.ts). Only the trainer evaluates it; analysis/ gives the `needs_trainer` error.
     */
    | { op: 'verifier'; name: string; args: Expr[] };

export type ContextName = 'output' | 'agent' | 'turn';
export type UnaryOp = 'not' | 'neg';
export type BinaryOp =
    'and' | 'or' | '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'contains' | 'matches';

/** A runtime value. `null` means "missing" (no match, unparsable number, absent field). */
export type Value = number | string | boolean | null;

/** What an evaluator reads: the task row, agents' latest outputs, and the decision being scored. */
export interface EvalContext {
    task: Record<string, Value>;
    outputs: Record<string, string>;
    ctx?: Partial<Record<ContextName, Value>>;
}

/**
 * Error kinds both evaluators raise, by name, for malformed trees or ill-typed operands; `needs_trainer` for a
 * verifier node where no verifier runs (analysis/ always). `verifier_error` is never raised: a criterion's record
 * carries it when a verifier call in it failed (exception, timeout, wrong type), which made that call's value null.
 * `judge_error` likewise: a judge criterion whose model failed or answered without a score in its scale (it scored null).
 */
export type EvalErrorKind =
    'unknown_op' | 'arity' | 'type_error' | 'bad_regex' | 'needs_trainer' | 'verifier_error' | 'judge_error';

/** One conformance vector: `test/fixtures/expressions/*.json` hold arrays of these. */
export interface ExpressionVector {
    name: string;
    expr: Expr;
    context: EvalContext;
    /** Exactly one of `expected` (may be null) and `error` is present. */
    expected?: Value;
    error?: EvalErrorKind;
    /** Long task fields built before evaluation (`repeat` × `times`, then `suffix`), so that files stay small. */
    generated?: Record<string, GeneratedText>;
}

/** A long text described by its parts: `repeat` written `times` times, then `suffix`. */
export interface GeneratedText {
    repeat: string;
    times: number;
    suffix?: string;
}
