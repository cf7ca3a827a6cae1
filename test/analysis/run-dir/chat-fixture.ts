import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import { FIXTURE_RUN } from './fixture-run.js';

/** Qwen's chat template, as `apply_chat_template(..., add_generation_prompt=True)` renders a system + user pair. */
export const renderChat = (system: string, user: string): string =>
    `<|im_start|>system\n${system}<|im_end|>\n<|im_start|>user\n${user}<|im_end|>\n<|im_start|>assistant\n`;

/** The `messages` of rollout 1 (a role the contract does not allow) and 2 (not an array) in chatFixtureRun. */
export const BAD_MESSAGES: Record<number, unknown> = {
    1: [
        { role: 'system', content: 's' },
        { role: 'assistant', content: 'a' },
    ],
    2: 'system: hi',
};

/**
 * A copy of the fixture run at `root` recorded as a chat model would be (issue 13): every turn of step 1 keeps its
 * messages (the role description as system message, the old prompt as user message), `prompt` becomes the rendered
 * template; rollouts 1 and 2 carry malformed messages (BAD_MESSAGES).
 */
export function chatFixtureRun(root: string, system = (role: string) => `You are ${role}.`): string {
    cpSync(FIXTURE_RUN, root, { recursive: true });
    const file = path.join(root, 'trajectories', '1.jsonl');
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const chat = lines.map((line) => {
        const record = JSON.parse(line) as Omit<TrajectoryRecord, 'turns'> & {
            turns: (Omit<TrajectoryRecord['turns'][number], 'messages'> & { messages?: unknown })[];
        };
        for (const turn of record.turns) {
            const content = system(turn.role);
            turn.messages = BAD_MESSAGES[record.rollout] ?? [
                { role: 'system', content },
                { role: 'user', content: turn.prompt },
            ];
            turn.prompt = renderChat(content, turn.prompt);
        }
        return JSON.stringify(record);
    });
    writeFileSync(file, chat.join('\n') + '\n');
    return root;
}
