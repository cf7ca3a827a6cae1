/**
 * Verifiers declared in a workflow are Python code from the workspace (DESIGN.md §3, trust model): the extension
 * never starts anything that would run them in an untrusted workspace. Start Training is refused there for every
 * workflow (trust.ts); this names the verifiers when a workflow has some, and re-scoring (which an untrusted
 * workspace otherwise allows: expressions run in the run reader's worker) refuses a rubric that calls one.
 * Built-in verifiers are the trainer's own code, not the workspace's.
 */
import type { Expr } from '../../../protocol/expression.js';
import type { RubricSpec, VerifierSpec } from '../../../protocol/run-spec.js';

/** Names of the verifiers an expression calls (a hostile tree: only objects and arrays are walked). */
export function verifierNames(expr: Expr | null | undefined): string[] {
    const names: string[] = [];
    const stack: unknown[] = [expr];
    while (stack.length > 0) {
        const node = stack.pop();
        if (Array.isArray(node)) stack.push(...(node as unknown[]));
        else if (node && typeof node === 'object') {
            const record = node as Record<string, unknown>;
            if (record['op'] === 'verifier' && typeof record['name'] === 'string' && !names.includes(record['name']))
                names.push(record['name']);
            stack.push(...Object.values(record));
        }
    }
    return names;
}

/** The workspace's verifiers (declared, not built in) that a rubric calls. */
export function workspaceVerifiersOf(
    rubric: RubricSpec,
    declared: readonly VerifierSpec[] | undefined,
): VerifierSpec[] {
    const called = new Set(rubric.criteria.flatMap((criterion) => verifierNames(criterion.expr)));
    return (declared ?? []).filter((verifier) => called.has(verifier.name));
}

/** Why `action` cannot go ahead in an untrusted workspace with these verifiers, or undefined when it can. */
export function verifierTrustRefusal(
    action: string,
    verifiers: readonly VerifierSpec[],
    trusted: boolean,
): string | undefined {
    if (trusted || verifiers.length === 0) return undefined;
    const list = verifiers.map((v) => `${v.name} (${v.file})`).join(', ');
    return `${action} would run the workflow's Python verifier${verifiers.length === 1 ? '' : 's'} ${list}, and this workspace is not trusted. Trust it ("Workspaces: Manage Workspace Trust") if you trust that code.`;
}

/**
 * Judge criteria send workspace data (their prompts, with the run's outputs) to a model that the trainer loads or
 * calls: the same rule as verifiers applies, so that nothing is loaded or called for an untrusted workspace.
 */
export function judgeTrustRefusal(action: string, rubric: RubricSpec, trusted: boolean): string | undefined {
    const judged = rubric.criteria.filter((criterion) => criterion.judge !== undefined);
    if (trusted || judged.length === 0) return undefined;
    const list = judged.map((c) => `${c.name} (model ${c.judge?.model ?? '?'})`).join(', ');
    return `${action} would ask the judge model${judged.length === 1 ? '' : 's'} of ${list} with prompts from this workspace, and this workspace is not trusted. Trust it ("Workspaces: Manage Workspace Trust") if you trust its models and prompts.`;
}
