import type { MetricsRecord, TrajectoryRecord } from '../../protocol/run-dir.js';
import type { JsonlValidator } from './jsonl-lines.js';

type Check = { ok: true } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

function checkTurn(turn: unknown, at: number): Check {
    if (!isObject(turn)) return { ok: false, error: `turns[${at}] is not an object` };
    if (typeof turn['agent'] !== 'string') return { ok: false, error: `turns[${at}].agent is not a string` };
    if (typeof turn['output'] !== 'string') return { ok: false, error: `turns[${at}].output is not a string` };
    if (typeof turn['prompt'] !== 'string') return { ok: false, error: `turns[${at}].prompt is not a string` };
    if (!Array.isArray(turn['token_ids']) || !Array.isArray(turn['logprobs']))
        return { ok: false, error: `turns[${at}] lacks token_ids/logprobs arrays` };
    if (Object.hasOwn(turn, 'frozen') && typeof turn['frozen'] !== 'boolean')
        return { ok: false, error: `turns[${at}].frozen is not true or false` };
    return { ok: true };
}

/**
 * The fields the viewer relies on, checked cheaply (the full JSON Schema lives in protocol/schemas/run-dir/ and is
 * checked by the trainer's tests). A record failing here is reported with file:line and skipped, never shown half.
 */
export const validateTrajectory: JsonlValidator<TrajectoryRecord> = (value) => {
    if (!isObject(value)) return { ok: false, error: 'record is not a JSON object' };
    for (const key of ['step', 'rollout', 'group', 'sample'] as const) {
        if (!isInt(value[key])) return { ok: false, error: `'${key}' is not an integer` };
    }
    if (value['parent'] !== null && !isInt(value['parent']))
        return { ok: false, error: `'parent' is neither null nor an integer` };
    if (typeof value['reward'] !== 'number') return { ok: false, error: `'reward' is not a number` };
    if (!Array.isArray(value['turns'])) return { ok: false, error: `'turns' is not an array` };
    for (let i = 0; i < value['turns'].length; i++) {
        const check = checkTurn(value['turns'][i], i);
        if (!check.ok) return check;
    }
    if (!isObject(value['credit']) || !isObject(value['criteria']))
        return { ok: false, error: `'credit' or 'criteria' is not an object` };
    if (!Array.isArray(value['decision_turns'])) return { ok: false, error: `'decision_turns' is not an array` };
    if (!isObject(value['task'])) return { ok: false, error: `'task' is not an object` };
    return { ok: true, value: value as unknown as TrajectoryRecord };
};

export const validateMetrics: JsonlValidator<MetricsRecord> = (value) => {
    if (!isObject(value)) return { ok: false, error: 'record is not a JSON object' };
    if (!isInt(value['step'])) return { ok: false, error: `'step' is not an integer` };
    // null: the trainer writes a NaN / ±Infinity mean as null (protocol/run-dir.ts MetricsRecord)
    if (value['reward_mean'] !== null && typeof value['reward_mean'] !== 'number')
        return { ok: false, error: `'reward_mean' is neither a number nor null` };
    return { ok: true, value: value as unknown as MetricsRecord };
};
