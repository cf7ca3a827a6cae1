import type { TurnRecord } from '../../protocol/run-dir.js';
import type { TurnChat } from '../../protocol/trajectory-messages.js';
import { MAX_CHAT_MESSAGES_PER_TURN } from './limits.js';

type ChatMessage = NonNullable<TurnRecord['messages']>[number];

const ROLES: ReadonlySet<unknown> = new Set<ChatMessage['role']>(['system', 'user']);

/**
 * What a turn's `messages` (chat models) may be shown as. The field comes from an untrusted file: a turn whose
 * `messages` is not an array of `{ role: 'system' | 'user', content: string }` (at most MAX_CHAT_MESSAGES_PER_TURN)
 * is shown as a raw turn with the reason, never half; the record itself stays readable (its prompt, output, tokens
 * and credit do not depend on it). Only the two keys are copied, so nothing else in the entries reaches a view.
 */
export function turnChat(turn: unknown): TurnChat | null {
    if (typeof turn !== 'object' || turn === null || !Object.hasOwn(turn, 'messages')) return null;
    const messages = (turn as { messages: unknown }).messages;
    if (messages === undefined) return null;
    const ignored = (why: string): TurnChat => ({ ignored: `chat messages ignored: ${why}; showing the raw prompt` });
    if (!Array.isArray(messages)) return ignored(`'messages' is not an array`);
    if (messages.length === 0) return ignored(`'messages' is empty`);
    if (messages.length > MAX_CHAT_MESSAGES_PER_TURN)
        return ignored(`${messages.length} messages, more than the ${MAX_CHAT_MESSAGES_PER_TURN} a turn may have`);
    const checked: ChatMessage[] = [];
    for (let i = 0; i < messages.length; i++) {
        const m: unknown = messages[i];
        if (typeof m !== 'object' || m === null || Array.isArray(m)) return ignored(`messages[${i}] is not an object`);
        const role = Object.hasOwn(m, 'role') ? (m as { role: unknown }).role : undefined;
        const content = Object.hasOwn(m, 'content') ? (m as { content: unknown }).content : undefined;
        if (!ROLES.has(role)) return ignored(`messages[${i}].role is not 'system' or 'user'`);
        if (typeof content !== 'string') return ignored(`messages[${i}].content is not a string`);
        checked.push({ role: role as ChatMessage['role'], content });
    }
    return { messages: checked };
}

/** turnChat of every turn, aligned with `turns`; null when no turn is a chat turn (raw runs carry nothing extra). */
export function rolloutChat(turns: readonly unknown[]): (TurnChat | null)[] | null {
    const chat = turns.map(turnChat);
    return chat.some((c) => c !== null) ? chat : null;
}
