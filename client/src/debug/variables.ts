import type { DebugProtocol } from '@vscode/debugprotocol';
import type { RunJson, TrajectoryRecord } from '../../../protocol/run-dir.js';
import { findAgentDeclarations } from './mas-source.js';

export const VARIABLE_SCOPES = [
    { name: 'Turn', reference: 1, expensive: false },
    { name: 'Credit', reference: 2, expensive: false },
    { name: 'Rubric', reference: 3, expensive: false },
    { name: 'Task', reference: 4, expensive: false },
    { name: 'Latest outputs', reference: 5, expensive: false },
] as const;

const MAX_VALUE = 100_000;

function variable(name: string, value: unknown): DebugProtocol.Variable {
    let text =
        typeof value === 'string'
            ? JSON.stringify(value)
            : value === null || value === undefined
              ? 'null'
              : String(value);
    if (text.length > MAX_VALUE) text = `${text.slice(0, MAX_VALUE)}… (${text.length} characters)`;
    return { name, value: text, variablesReference: 0 };
}

/** Line (1-based) of an agent's declaration in the .mas text, if declared there. */
export function agentDeclarationLine(text: string, agent: string): number | undefined {
    return findAgentDeclarations(text).find((d) => d.agent === agent)?.line;
}

/** The variables view at a turn: the message and rendered prompt, credit per estimator, rubric scores, task. */
export function variablesFor(
    reference: number,
    record: TrajectoryRecord,
    turn: number,
    run: RunJson,
): DebugProtocol.Variable[] {
    const current = record.turns[turn];
    if (!current) return [];
    const decision = record.decision_turns.indexOf(turn);
    switch (reference) {
        case 1: {
            const lp = current.logprobs;
            return [
                variable('agent', current.agent),
                variable('role', current.role),
                variable('turn', turn),
                variable('message', current.output),
                variable('prompt', current.prompt),
                variable('tokens', current.token_ids.length),
                variable('mean logprob', lp.length ? lp.reduce((s, v) => s + v, 0) / lp.length : null),
                variable('nulled', current.nulled),
                variable('model', current.model),
            ];
        }
        case 2:
            return Object.entries(record.credit).map(([method, credits]) =>
                variable(method, decision >= 0 ? (credits[decision] ?? null) : 'no decision (nulled turn)'),
            );
        case 3: {
            const rubric = run.spec.rubrics.find((r) => r.name === run.spec.reward.rubric);
            const weights = new Map(rubric?.criteria.map((c) => [c.name, c.weight]) ?? []);
            return [
                variable('reward', record.reward),
                ...Object.entries(record.criteria).map(([name, score]) =>
                    variable(`${name} (weight ${weights.get(name) ?? '?'})`, score),
                ),
                ...Object.entries(record.criteria_errors ?? {}).map(([name, kind]) => variable(`${name} error`, kind)),
                variable('success', record.success),
            ];
        }
        case 4:
            return Object.entries(record.task).map(([k, v]) => variable(k, v));
        case 5: {
            const outputs: Record<string, string> = {};
            for (const t of record.turns.slice(0, turn + 1)) outputs[t.agent] = t.output;
            return Object.entries(outputs).map(([agent, output]) => variable(`${agent}.output`, output));
        }
        default:
            return [];
    }
}
