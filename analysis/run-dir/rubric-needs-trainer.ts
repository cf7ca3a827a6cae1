import type { RubricSpec } from '../../protocol/run-spec.js';

/** Whether an expression tree holds a `verifier` node (a hostile tree: only objects and arrays are walked). */
export function callsVerifier(expr: unknown): boolean {
    const stack: unknown[] = [expr];
    while (stack.length > 0) {
        const node = stack.pop();
        if (Array.isArray(node)) stack.push(...(node as unknown[]));
        else if (node && typeof node === 'object') {
            const record = node as Record<string, unknown>;
            if (record['op'] === 'verifier') return true;
            stack.push(...Object.values(record));
        }
    }
    return false;
}

/**
 * Whether scoring `rubric` needs the trainer's Python: a criterion calls a Python verifier (the TypeScript evaluator
 * gives `needs_trainer`), or has no expression (criteria scored by the trainer alone, such as judge criteria).
 */
export function rubricNeedsTrainer(rubric: RubricSpec): boolean {
    return rubric.criteria.some((c) => {
        const expr = (c as { expr?: unknown }).expr;
        return expr === undefined || expr === null || callsVerifier(expr);
    });
}
