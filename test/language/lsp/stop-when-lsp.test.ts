import { describe, expect, it } from 'vitest';
import { TextDocument } from 'langium';
import { createTestServices, DESIGN_EXAMPLE, documentParams } from './lsp-test-helpers.js';

const { services, parse } = createTestServices();

const WITH_STOP = DESIGN_EXAMPLE.replace('  seed: 7\n', '  seed: 7\n  stop_when: success >= 0.99 for 10 steps\n');

async function hoverAt(text: string, word: string): Promise<string | undefined> {
    const offset = text.indexOf(word);
    expect(offset).toBeGreaterThanOrEqual(0);
    const document = await parse(text);
    const hover = await services.lsp.HoverProvider!.getHoverContent(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offset + 1),
    });
    const contents = hover?.contents;
    return contents && typeof contents === 'object' && 'value' in contents ? contents.value : undefined;
}

async function completionAt(textWithCursor: string) {
    const cursor = textWithCursor.indexOf('<|>');
    const document = await parse(textWithCursor.replace('<|>', ''));
    const list = await services.lsp.CompletionProvider!.getCompletion(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(cursor),
    });
    return list?.items ?? [];
}

describe('stop_when in the editor', () => {
    it('hovers the keyword with the syntax and what the trainer does', async () => {
        expect(WITH_STOP).toContain('stop_when');
        const markdown = await hoverAt(WITH_STOP, 'stop_when');
        expect(markdown).toContain('**stop_when** — early stopping');
        expect(markdown).toContain('`finished`');
    });

    it('hovers the metric: a recorded statistic or a criterion of the reward rubric', async () => {
        expect(await hoverAt(WITH_STOP, 'success >=')).toContain('Share of the step');
        const criterion = WITH_STOP.replace('success >= 0.99', 'format >= 0.99');
        expect(await hoverAt(criterion, 'format >=')).toContain('criterion `format`');
    });

    it('completes the metric after `stop_when:` with the recorded ones and the rubric criteria', async () => {
        const items = await completionAt(DESIGN_EXAMPLE.replace('  seed: 7\n', '  seed: 7\n  stop_when: <|>\n'));
        expect(items.map((item) => item.label)).toEqual(['success', 'reward_mean', 'answer', 'format', 'brevity']);
    });

    it('offers `stop_when` among the train settings, documented', async () => {
        const items = await completionAt(DESIGN_EXAMPLE.replace('  seed: 7\n', '  seed: 7\n  <|>\n'));
        const item = items.find((candidate) => candidate.label === 'stop_when');
        expect(item?.documentation).toMatchObject({ value: expect.stringContaining('for 10 steps') });
    });
});

describe('stop_when formatting', () => {
    it('puts stop_when on its own line with one space between its words', async () => {
        const text = WITH_STOP.replace(
            '  seed: 7\n  stop_when: success >= 0.99 for 10 steps\n',
            '  seed: 7   stop_when:success>=-0.5   for 10    steps\n',
        );
        const document = await parse(text);
        const edits = await services.lsp.Formatter!.formatDocument(document, {
            ...documentParams(document),
            options: { tabSize: 2, insertSpaces: true },
        });
        const formatted = TextDocument.applyEdits(document.textDocument, edits);
        expect(formatted).toContain('\n  seed: 7\n  stop_when: success >= -0.5 for 10 steps\n}');
    });
});
