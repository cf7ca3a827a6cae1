import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A valid workflow (scratch model, one agent) whose rubric is replaced by the test's criteria and declarations. */
const base = readFileSync(join(import.meta.dirname, '../../fixtures/invalid/linking-error.mas'), 'utf8').replace(
    'Solvr',
    'Solver',
);

const CRITERION = '  criterion answer weight 1: number(solver.output) == task.answer\n';

/** The base workflow with `declarations` before the rubric and `criteria` as its only criteria. */
export function workflowWith(declarations: string, criteria: string): string {
    if (!base.includes(CRITERION)) throw new Error('the base fixture changed: update verifier-workflow.ts');
    return base.replace('rubric correctness {', `${declarations}\nrubric correctness {`).replace(CRITERION, criteria);
}
