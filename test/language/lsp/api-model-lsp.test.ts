import { describe, expect, it } from 'vitest';
import { createTestServices } from './lsp-test-helpers.js';

const { hoverAt, labelsAt } = createTestServices();

const TEAM = `workflow T
dataset train from "d.jsonl" { question: string }
model gpt { from: openai "http://127.0.0.1:8000/v1" name "qwen3-8b"  key: env "OPENAI_API_KEY"  timeout: 30 }
role User "Asks"
agent user: User { model: gpt  prompt: "{{task.question}}" }
`;

describe('API models in the editor', () => {
    it('explains `openai` on hover, including the untrusted-workspace note', async () => {
        const keyword = await hoverAt(TEAM, TEAM.indexOf('openai') + 2);
        expect(keyword).toContain('**openai**');
        expect(keyword).toContain('always frozen');
        expect(keyword).toContain('untrusted workspace');
    });

    it('the model hover names the endpoint, the key variable (never a key), and the settings', async () => {
        const hover = await hoverAt(TEAM, TEAM.indexOf('model gpt') + 7);
        expect(hover).toContain('http://127.0.0.1:8000/v1');
        expect(hover).toContain('`OPENAI_API_KEY`');
        expect(hover).toContain('timeout 30 s per call, 2 retries, 4 calls at once');
        expect(hover).toContain('always frozen');
    });

    it('completes `openai` after `from:` and the API settings in a model block', async () => {
        expect(await labelsAt(TEAM.replace('from: openai', 'from: <|>openai'))).toContain('openai');
        const block = await labelsAt(TEAM.replace('  timeout: 30 }', '  timeout: 30 <|>}'));
        expect(block).toEqual(expect.arrayContaining(['key', 'retries', 'concurrency']));
    });
});
