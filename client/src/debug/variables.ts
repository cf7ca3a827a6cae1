import type { DebugProtocol } from '@vscode/debugprotocol';
import { turnChat } from '../../../analysis/run-dir/chat-messages.js';
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

/**
 * Children of the Turn scope's `messages` (a chat turn): the list, then message i at MESSAGE_BASE + i (role, content).
 * Above the scopes' references; a reference is only meaningful until the next stop, as DAP says.
 */
const MESSAGES_REFERENCE = 6;
const MESSAGE_BASE = 100;

function variable(name: string, value: unknown, variablesReference = 0): DebugProtocol.Variable {
    let text =
        typeof value === 'string'
            ? JSON.stringify(value)
            : value === null || value === undefined
              ? 'null'
              : String(value);
    if (text.length > MAX_VALUE) text = `${text.slice(0, MAX_VALUE)}… (${text.length} characters)`;
    return { name, value: text, variablesReference };
}

/** The Turn scope's `messages` entry: expandable for a chat turn, the reason for ignored messages, none when raw. */
function messagesVariable(turn: unknown): DebugProtocol.Variable[] {
    const chat = turnChat(turn);
    if (!chat) return [];
    if ('ignored' in chat) return [variable('messages', chat.ignored)];
    const roles = chat.messages.map((m) => m.role).join(', ');
    return [variable('messages', `${chat.messages.length} (${roles}) → the assistant's message`, MESSAGES_REFERENCE)];
}

function messageVariables(turn: unknown, reference: number): DebugProtocol.Variable[] {
    const chat = turnChat(turn);
    if (!chat || !('messages' in chat)) return [];
    if (reference === MESSAGES_REFERENCE)
        return chat.messages.map((m, i) => variable(`[${i}]`, `${m.role}: ${m.content}`, MESSAGE_BASE + i));
    const message = chat.messages[reference - MESSAGE_BASE];
    return message ? [variable('role', message.role), variable('content', message.content)] : [];
}

/** Line (1-based) of an agent's declaration in the .mas text, if declared there. */
export function agentDeclarationLine(text: string, agent: string): number | undefined {
    return findAgentDeclarations(text).find((d) => d.agent === agent)?.line;
}

/**
 * The variables view at a turn: the message and rendered prompt (and, for a chat turn, the messages it was rendered
 * from), credit per estimator, rubric scores, task.
 */
export function variablesFor(
    reference: number,
    record: TrajectoryRecord,
    turn: number,
    run: RunJson,
): DebugProtocol.Variable[] {
    const current = record.turns[turn];
    if (!current) return [];
    const decision = record.decision_turns.indexOf(turn);
    const frozen = isFrozenTurn(current, run);
    switch (reference) {
        case 1: {
            const lp = current.logprobs;
            return [
                variable('agent', current.agent),
                variable('role', current.role),
                variable('turn', turn),
                variable('message', current.output),
                ...messagesVariable(current),
                variable('prompt', current.prompt),
                variable('tokens', current.token_ids.length),
                variable('mean logprob', lp.length ? lp.reduce((s, v) => s + v, 0) / lp.length : null),
                variable('nulled', current.nulled),
                variable('frozen', frozen),
                variable('model', current.model),
            ];
        }
        case 2:
            return Object.entries(record.credit).map(([method, credits]) =>
                variable(
                    method,
                    decision < 0
                        ? 'no decision (nulled turn)'
                        : frozen
                          ? `frozen: never trained on (the estimator gave ${String(credits[decision] ?? null)})`
                          : (credits[decision] ?? null),
                ),
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
            return messageVariables(current, reference);
    }
}

/** A frozen agent's turn: flagged in the record, or the agent declared `frozen` in the run's spec (run.json is
 *  untrusted: only a literal `true` counts). */
function isFrozenTurn(turn: TrajectoryRecord['turns'][number], run: RunJson): boolean {
    if (turn.frozen === true) return true;
    const agents: unknown = run.spec.agents;
    return (
        Array.isArray(agents) &&
        agents.some((a: { name?: unknown; frozen?: unknown }) => a?.name === turn.agent && a.frozen === true)
    );
}
