import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rolloutChat, turnChat } from '../../../analysis/run-dir/chat-messages.js';
import { MAX_CHAT_MESSAGES_PER_TURN } from '../../../analysis/run-dir/limits.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { rolloutView } from '../../../analysis/run-dir/view-model.js';
import { chatFixtureRun, renderChat } from './chat-fixture.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'mas-chat-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const ignored = (messages: unknown): string => {
    const chat = turnChat({ messages });
    if (!chat || !('ignored' in chat)) throw new Error(`accepted: ${JSON.stringify(messages)}`);
    return chat.ignored;
};

describe('chat messages of a turn (untrusted run records)', () => {
    it('keeps a system + user pair, copying only role and content', () => {
        const chat = turnChat({
            messages: [
                { role: 'system', content: 'You check.', extra: '<b>x</b>' },
                { role: 'user', content: '' },
            ],
        });
        expect(chat).toEqual({
            messages: [
                { role: 'system', content: 'You check.' },
                { role: 'user', content: '' },
            ],
        });
    });

    it('reads a turn without messages (or messages: undefined) as a raw turn', () => {
        expect(turnChat({ prompt: 'p' })).toBeNull();
        expect(turnChat({ messages: undefined })).toBeNull();
        expect(turnChat(null)).toBeNull();
        expect(turnChat('turn')).toBeNull();
    });

    it('ignores every malformed shape with a reason that names the field', () => {
        expect(ignored('hi')).toContain(`'messages' is not an array`);
        expect(ignored(null)).toContain(`'messages' is not an array`);
        expect(ignored({ 0: { role: 'user', content: 'x' } })).toContain('not an array');
        expect(ignored([])).toContain(`'messages' is empty`);
        expect(ignored([null])).toContain('messages[0] is not an object');
        expect(ignored([['user', 'x']])).toContain('messages[0] is not an object');
        expect(
            ignored([
                { role: 'user', content: 'x' },
                { role: 'assistant', content: 'y' },
            ]),
        ).toContain(`messages[1].role is not 'system' or 'user'`);
        expect(ignored([{ role: 'user', content: 7 }])).toContain('messages[0].content is not a string');
        expect(ignored([{ role: 'user' }])).toContain('messages[0].content is not a string');
        // Inherited members are not fields: a role or content read through the prototype does not count.
        expect(ignored([Object.create({ role: 'user', content: 'x' })])).toContain('messages[0].role');
        expect(ignored(JSON.parse('[{"__proto__": {"role": "user", "content": "x"}}]'))).toContain('messages[0].role');
        const many = Array.from({ length: MAX_CHAT_MESSAGES_PER_TURN + 1 }, () => ({ role: 'user', content: 'x' }));
        expect(ignored(many)).toContain(`more than the ${MAX_CHAT_MESSAGES_PER_TURN}`);
    });

    it('aligns a rollout chat with its turns, and is null for a raw rollout', () => {
        const ok = { messages: [{ role: 'user', content: 'q' }] };
        expect(rolloutChat([{}, {}])).toBeNull();
        expect(rolloutChat([{}, ok, { messages: 3 }])).toEqual([
            null,
            { messages: [{ role: 'user', content: 'q' }] },
            { ignored: expect.stringContaining('not an array') as unknown },
        ]);
    });

    it('reads chat records through the run reader: good ones as messages, bad ones raw with the reason', async () => {
        const root = chatFixtureRun(path.join(scratch, 'run'));
        const service = new RunDirService();
        const index = await service.index(root);
        expect(index.issues).toEqual([]); // malformed messages do not make the record corrupt
        const good = rolloutView(index, await service.rollout(root, 1, 0));
        expect(good.chat).toHaveLength(3);
        expect(good.chat![0]).toEqual({
            messages: [
                { role: 'system', content: 'You are First.' },
                { role: 'user', content: 'First part for d:' },
            ],
        });
        // The view gets the checked copy only; prompt is the rendered template, output the assistant's reply.
        expect(good.record.turns.some((t) => 'messages' in t)).toBe(false);
        expect(good.record.turns[0]!.prompt).toBe(renderChat('You are First.', 'First part for d:'));
        const badRole = rolloutView(index, await service.rollout(root, 1, 1));
        expect(badRole.chat![0]).toEqual({
            ignored: `chat messages ignored: messages[1].role is not 'system' or 'user'; showing the raw prompt`,
        });
        const notArray = rolloutView(index, await service.rollout(root, 1, 2));
        expect(notArray.chat![2]).toEqual({
            ignored: `chat messages ignored: 'messages' is not an array; showing the raw prompt`,
        });
        // A raw step stays as it was: no chat field at all.
        expect(rolloutView(index, await service.rollout(root, 2, 0))).not.toHaveProperty('chat');
        await service.dispose();
    });
});
