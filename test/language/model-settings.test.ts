import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TextDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { createTestServices, documentParams } from './lsp/lsp-test-helpers.js';
import {
    applyAction,
    createValidationServices,
    diagnosticCode,
    problemCodes,
} from './validation/validation-helpers.js';

/** The loading, prompting and sampling settings of issue 13: `format`, `dtype`, `attention`,
 *  `gradient_checkpointing` on models; `system`, `top_p`, `top_k` on agents. */

const { validate, codeActions } = createValidationServices();
const lsp = createTestServices();
const HF_FILE = readFileSync(join(import.meta.dirname, '../fixtures/invalid/invalid-model-setting.mas'), 'utf8');

/** The fixture with an hf model whose block holds `modelLines`, and an agent whose block also holds `agentLines`. */
function workflow(modelLines: string, agentLines = '', source = 'hf "Qwen/Qwen2.5-0.5B-Instruct"'): string {
    return HF_FILE.replace(
        '  from: hf "Qwen/Qwen2.5-0.5B-Instruct"\n  dtype: bf61\n',
        `  from: ${source}\n${modelLines}`,
    ).replace('  model: base\n', `  model: base\n${agentLines}`);
}
const SCRATCH = 'scratch(layers: 2, hidden: 64, vocab: chars)';

describe('model and agent settings: validation', () => {
    it('accepts every documented value on an hf model, and sampling settings in range', async () => {
        for (const format of ['chat', 'raw'])
            for (const dtype of ['auto', 'bf16', 'fp16', 'fp32'])
                for (const attention of ['sdpa', 'eager', 'flash_attention_2']) {
                    const text = workflow(
                        `  format: ${format}\n  dtype: ${dtype}\n  attention: ${attention}\n  gradient_checkpointing: true\n`,
                        format === 'chat' ? '  system: "You solve arithmetic."\n  top_p: 0.9\n  top_k: 40\n' : '',
                    );
                    expect(problemCodes(await validate(text)), `${format} ${dtype} ${attention}`).toEqual([]);
                }
        expect(problemCodes(await validate(workflow('', '  top_p: 1\n  top_k: 0\n')))).toEqual([]);
    });

    it('rejects an unknown word with a "did you mean" fix', async () => {
        for (const [line, fixed] of [
            ['dtype: bf61', 'dtype: bf16'],
            ['format: chta', 'format: chat'],
            ['attention: sdap', 'attention: sdpa'],
        ] as const) {
            const document = await validate(workflow(`  ${line}\n`));
            expect(problemCodes(document)).toEqual(['invalid-model-setting']);
            const [action] = await codeActions(document, 'invalid-model-setting');
            const text = applyAction(document, action!);
            expect(text).toContain(fixed);
            expect(problemCodes(await validate(text))).toEqual([]);
        }
    });

    it('rejects top_p outside (0, 1] and a fractional top_k', async () => {
        for (const line of ['top_p: 0', 'top_p: 1.5', 'top_k: 2.5']) {
            const document = await validate(workflow('', `  ${line}\n`));
            expect(problemCodes(document), line).toEqual(['invalid-agent-setting']);
            expect(document.diagnostics![0]!.message).toContain(line.split(':')[0]);
        }
    });

    it('reports a setting given twice', async () => {
        const document = await validate(workflow('  dtype: bf16\n  dtype: fp32\n', '  top_k: 1\n  top_k: 2\n'));
        expect(problemCodes(document)).toEqual(['duplicate-property', 'duplicate-property']);
    });

    it('flags settings that cannot apply to a scratch model: format: chat is an error, dtype and attention warnings', async () => {
        const chat = await validate(workflow('  format: chat\n', '', SCRATCH));
        expect(chat.diagnostics!.map((d) => [d.severity, diagnosticCode(d)])).toEqual([[1, 'setting-not-for-scratch']]);
        const ignored = await validate(workflow('  dtype: bf16\n  attention: eager\n', '', SCRATCH));
        expect(ignored.diagnostics!.map((d) => [d.severity, diagnosticCode(d)])).toEqual([
            [2, 'setting-not-for-scratch'],
            [2, 'setting-not-for-scratch'],
        ]);
        // what scratch is anyway is fine
        expect(problemCodes(await validate(workflow('  format: raw\n  dtype: fp32\n', '', SCRATCH)))).toEqual([]);
    });

    it('removes a setting that cannot apply with its quick fix', async () => {
        const document = await validate(workflow('  format: chat\n', '', SCRATCH));
        const [action] = await codeActions(document, 'setting-not-for-scratch');
        const text = applyAction(document, action!);
        expect(text).not.toContain('format');
        expect(problemCodes(await validate(text))).toEqual([]);
    });

    it('warns that `system` is ignored on a raw model (scratch or format: raw), and removes it', async () => {
        const system = '  system: "Be brief."\n';
        for (const [model, source] of [
            ['', SCRATCH],
            ['  format: raw\n', undefined],
        ] as const) {
            const document = await validate(workflow(model, system, source));
            expect(document.diagnostics!.map((d) => [d.severity, diagnosticCode(d)])).toEqual([
                [2, 'system-message-ignored'],
            ]);
            const [action] = await codeActions(document, 'system-message-ignored');
            expect(problemCodes(await validate(applyAction(document, action!)))).toEqual([]);
        }
        expect(problemCodes(await validate(workflow('', system)))).toEqual([]);
    });

    it('flags flash_attention_2 only when the run is on the CPU', async () => {
        const flash = workflow('  attention: flash_attention_2\n');
        const on = (device: string) => flash.replace('  credit: outcome\n', `  credit: outcome\n  device: ${device}\n`);
        expect(problemCodes(await validate(on('cpu')))).toEqual(['attention-needs-gpu']);
        expect(problemCodes(await validate(on('cuda')))).toEqual([]);
        expect(problemCodes(await validate(on('auto')))).toEqual([]);
    });

    it('keeps the new keywords usable as names and dataset fields', async () => {
        const text = workflow('')
            .replace('{ question: string  answer: number }', '{ question: string  answer: number  format: string }')
            .replace('agent solver: Solver', 'agent system: Solver')
            .replace('start -> solver', 'start -> system')
            .replace('number(solver.output)', 'number(system.output)');
        expect(problemCodes(await validate(text))).toEqual([]);
    });
});

async function hoverAt(text: string, word: string, occurrence = 1): Promise<string | undefined> {
    let offset = -1;
    for (let i = 0; i < occurrence; i++) offset = text.indexOf(word, offset + 1);
    const document = await lsp.parse(text);
    const hover = await lsp.services.lsp.HoverProvider!.getHoverContent(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offset + 1),
    });
    const contents = hover?.contents;
    return contents && typeof contents === 'object' && 'value' in contents ? contents.value : undefined;
}

describe('model and agent settings: hover', () => {
    const text = workflow(
        '  format: chat\n  dtype: bf16\n  attention: sdpa\n  gradient_checkpointing: true\n',
        '  system: "Be brief."\n  top_p: 0.9\n  top_k: 40\n',
    );

    it('documents each setting keyword', async () => {
        expect(await hoverAt(text, 'format:')).toContain('apply_chat_template');
        expect(await hoverAt(text, 'dtype:')).toMatch(
            /\*\*dtype\*\* — model setting[\s\S]*`auto`: bf16 for the frozen base/,
        );
        expect(await hoverAt(text, 'attention:')).toContain('flash-attn');
        expect(await hoverAt(text, 'gradient_checkpointing')).toContain('Recompute activations');
        expect(await hoverAt(text, 'system:')).toContain('role’s description');
        expect(await hoverAt(text, 'top_p')).toContain('Nucleus sampling');
        expect(await hoverAt(text, 'top_k')).toContain('most likely tokens');
    });

    it('documents a value with the setting it belongs to, and leaves the declaration hover alone', async () => {
        expect(await hoverAt(text, ' bf16\n')).toMatch(/^`bf16` — value of `dtype`/);
        expect(await hoverAt(text, 'base {')).toMatch(/\*\*model\*\* `base`[\s\S]*- prompts: chat\n- dtype: bf16/);
        expect(await hoverAt(text, 'Solver "')).toContain('system message of its agents’ chat prompts');
        expect(await hoverAt(text, 'solver: Solver')).toMatch(
            /- top_p: 0.9\n- top_k: 40\n- system message: "Be brief."/,
        );
    });
});

async function completionLabels(textWithCursor: string): Promise<{ label: string; documentation?: unknown }[]> {
    const cursor = textWithCursor.indexOf('<|>');
    const document = await lsp.parse(textWithCursor.replace('<|>', ''));
    const list = await lsp.services.lsp.CompletionProvider!.getCompletion(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(cursor),
    });
    return list?.items ?? [];
}

describe('model and agent settings: completion', () => {
    it('offers the setting keywords in a model block and an agent block, with their documentation', async () => {
        const model = await completionLabels(workflow('  <|>\n'));
        expect(model.map((item) => item.label)).toEqual(
            expect.arrayContaining(['format', 'dtype', 'attention', 'gradient_checkpointing']),
        );
        expect(JSON.stringify(model.find((item) => item.label === 'dtype')?.documentation)).toContain('bf16');
        const agent = await completionLabels(workflow('', '  <|>\n'));
        expect(agent.map((item) => item.label)).toEqual(expect.arrayContaining(['system', 'top_p', 'top_k']));
    });

    it('offers the values of a model setting', async () => {
        const labels = async (line: string) => (await completionLabels(workflow(`  ${line}<|>\n`))).map((i) => i.label);
        expect(await labels('dtype: ')).toEqual(['auto', 'bf16', 'fp16', 'fp32']);
        expect(await labels('format: ')).toEqual(['chat', 'raw']);
        expect(await labels('attention: ')).toEqual(['sdpa', 'eager', 'flash_attention_2']);
        expect(await labels('gradient_checkpointing: ')).toEqual(['true', 'false']);
    });
});

describe('model and agent settings: formatting', () => {
    it('puts each setting of a multi-line block on its own line, and keeps one-line blocks on one line', async () => {
        const text = `model m {
  from: hf "x"   dtype:bf16 attention :  eager
gradient_checkpointing: true format: chat
}
role R "Answers"
agent a: R { model: m  prompt: "q"  system:"Be brief."  top_p:0.9 top_k: 40 }
`;
        const document = await lsp.parse(text);
        const edits = await lsp.services.lsp.Formatter!.formatDocument(document, {
            ...documentParams(document),
            options: { tabSize: 2, insertSpaces: true },
        });
        const formatted = TextDocument.applyEdits(document.textDocument, edits);
        expect(formatted).toContain(
            'model m {\n  from: hf "x"\n  dtype: bf16\n  attention: eager\n  gradient_checkpointing: true\n  format: chat\n}',
        );
        expect(formatted).toContain('agent a: R { model: m  prompt: "q"  system: "Be brief."  top_p: 0.9  top_k: 40 }');
    });
});

describe('model and agent settings: broken input', () => {
    it('an agent whose model binding lost its name (`model: adapter separate`) gets parse errors, not a validator crash', async () => {
        const text = [
            'model m { from: hf "x"  attention: eager }',
            'role R',
            'agent a: R { model: adapter separate',
            'train { device: cpu }',
            '',
        ].join('\n');
        const diagnostics = (await validate(text)).diagnostics ?? [];
        // Langium reports a validator that throws as a diagnostic whose message starts like this.
        expect(diagnostics.filter((d) => d.message.includes('An error occurred during validation'))).toEqual([]);
        expect(diagnostics.some((d) => diagnosticCode(d) === 'parsing-error' || d.severity === 1)).toBe(true);
    });

    it('a reward that lost its rubric name beside a stop_when gets parse errors, not a validator crash', async () => {
        const text = 'reward w: per trajectory\ntrain { stop_when: success >= 0.9 for 2 steps }\n';
        const diagnostics = (await validate(text)).diagnostics ?? [];
        expect(diagnostics.filter((d) => d.message.includes('An error occurred during validation'))).toEqual([]);
        expect(diagnostics.length).toBeGreaterThan(0);
    });
});
