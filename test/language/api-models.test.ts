import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFile } from '../../server/src/compile/compile-file.js';
import { runSpecValidator } from '../compile/run-spec-schema.js';
import {
    applyAction,
    createValidationServices,
    diagnosticCode,
    problemCodes,
} from './validation/validation-helpers.js';

/** API models (issue 16 item 5): `from: openai "<url>" name "<model>"`, its settings, their checks and the RunSpec. */

const { validate, codeActions } = createValidationServices();
const API = 'openai "http://127.0.0.1:8000/v1" name "qwen3-8b"';

/** A team of a trained scratch agent and a helper on model `gpt` (`source`, with `gptLines` in its block). */
function team(gptLines = '', source = API, scratchLines = ''): string {
    return [
        'workflow Team',
        'dataset d from "d.jsonl" { q: string }',
        `model m { from: scratch(layers: 1, hidden: 16, vocab: chars) ${scratchLines} }`,
        `model gpt { from: ${source} ${gptLines} }`,
        'role R',
        'agent helper: R { model: gpt prompt: "{{task.q}}" }',
        'agent solver: R { model: m prompt: "{{helper.output}}" }',
        'graph { start -> helper -> solver -> end }',
        'rubric r { criterion c weight 1: solver.output contains "x" }',
        'reward w: r per trajectory',
        'train { steps: 2 }',
    ].join('\n');
}

describe('API models: validation', () => {
    it('accepts an API model with every setting in range', async () => {
        const document = await validate(
            team('key: env "OPENAI_API_KEY" timeout: 30 retries: 0 concurrency: 8 format: chat'),
        );
        expect(problemCodes(document)).toEqual([]);
    });

    it('rejects a URL that is not http(s), and offers http:// when only the scheme is missing', async () => {
        const ftp = await validate(team('', 'openai "ftp://host/v1" name "m"'));
        expect(problemCodes(ftp)).toEqual(['invalid-api-url']);
        const bare = await validate(team('', 'openai "127.0.0.1:8000/v1" name "m"'));
        expect(problemCodes(bare)).toEqual(['invalid-api-url']);
        const [action] = await codeActions(bare, 'invalid-api-url');
        const fixed = applyAction(bare, action!);
        expect(fixed).toContain('"http://127.0.0.1:8000/v1"');
        expect(problemCodes(await validate(fixed))).toEqual([]);
    });

    it('warns about local-only settings on an API model, with a remove fix', async () => {
        for (const line of [
            'adapter: lora(rank: 4)',
            'dtype: bf16',
            'attention: sdpa',
            'gradient_checkpointing: true',
        ]) {
            const document = await validate(team(line));
            expect(
                document.diagnostics!.map((d) => [d.severity, diagnosticCode(d)]),
                line,
            ).toEqual([[2, 'setting-not-for-api-model']]);
            const [action] = await codeActions(document, 'setting-not-for-api-model');
            const fixed = applyAction(document, action!);
            expect(fixed).not.toContain(line.split(':')[0] + ':');
            expect(problemCodes(await validate(fixed)), line).toEqual([]);
        }
    });

    it('warns about API settings on a local model, with a remove fix', async () => {
        const document = await validate(team('', API, 'timeout: 5'));
        expect(problemCodes(document)).toEqual(['setting-only-for-api-model']);
        const [action] = await codeActions(document, 'setting-only-for-api-model');
        expect(problemCodes(await validate(applyAction(document, action!)))).toEqual([]);
    });

    it('rejects settings out of range and a key variable that is not a name', async () => {
        for (const line of ['timeout: 0', 'retries: 1.5', 'concurrency: 0', 'concurrency: 2.5']) {
            expect(problemCodes(await validate(team(line))), line).toEqual(['invalid-api-model-setting']);
        }
        for (const line of ['key: env "sk-abc123"', 'key: env "1KEY"', 'key: env ""']) {
            expect(problemCodes(await validate(team(line))), line).toEqual(['invalid-key-env']);
        }
    });
});

describe('API models: a team on API models only', () => {
    it('trains nothing: all-agents-frozen', async () => {
        const text = team().replace('agent solver: R { model: m', 'agent solver: R { model: gpt');
        expect(problemCodes(await validate(text))).toEqual(['all-agents-frozen']);
    });
});

describe('API models: compile', () => {
    it('compiles the source with its defaults, freezes its agents, and writes the key variable name only', async () => {
        const dir = mkdtempSync(join(tmpdir(), 'mas-api-model-'));
        writeFileSync(join(dir, 'd.jsonl'), '{"q": "a"}\n');
        const file = join(dir, 'team.mas');
        writeFileSync(file, team('key: env "OPENAI_API_KEY" timeout: 30'));
        const outcome = await compileFile(file);
        if (!outcome.ok) throw new Error(JSON.stringify(outcome));
        const validateSpec = runSpecValidator();
        expect(validateSpec(outcome.spec), JSON.stringify(validateSpec.errors)).toBe(true);
        expect(outcome.spec.models.find((m) => m.name === 'gpt')!.source).toEqual({
            kind: 'openai',
            url: 'http://127.0.0.1:8000/v1',
            model: 'qwen3-8b',
            key_env: 'OPENAI_API_KEY',
            timeout: 30,
            retries: 2,
            concurrency: 4,
        });
        expect(outcome.spec.agents.map((a) => [a.name, a.frozen])).toEqual([
            ['helper', true],
            ['solver', false],
        ]);
    });
});
