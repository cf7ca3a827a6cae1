// Judge criteria in the editor: hover, completion of the judge's model and of its prompt's holes, rename of the
// model and of an agent reaching the judge.
import { TextDocument } from 'langium';
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createTestServices, documentParams } from '../lsp/lsp-test-helpers.js';
import { MiniTokenizer, type Grammar } from '../lsp/mini-textmate.js';
import { workflowWith } from '../verifiers/verifier-workflow.js';

const { services, parse } = createTestServices();
const CRITIC = 'model critic {\n  from: scratch(layers: 1, hidden: 32, vocab: chars)\n}';
const TEXT = workflowWith(
    CRITIC,
    '  criterion answer weight 0.7: number(solver.output) == task.answer\n' +
        '  judge style weight 0.3 { model: critic  prompt: "Rate {{solver.output}} from 1 to 5"  scale: 1..5 }\n',
);

function offsetOf(text: string, at: string, inside: number): number {
    const offset = text.indexOf(at);
    expect(offset, `${at} not found`).toBeGreaterThanOrEqual(0);
    return offset + inside;
}

async function hoverAt(at: string, inside: number): Promise<string | undefined> {
    const document = await parse(TEXT);
    const hover = await services.lsp.HoverProvider!.getHoverContent(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offsetOf(TEXT, at, inside)),
    });
    const contents = hover?.contents;
    return contents && typeof contents === 'object' && 'value' in contents ? contents.value : undefined;
}

async function renameAt(at: string, inside: number, newName: string): Promise<string> {
    const document = await parse(TEXT);
    const edit = await services.lsp.RenameProvider!.rename(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offsetOf(TEXT, at, inside)),
        newName,
    });
    return TextDocument.applyEdits(document.textDocument, edit?.changes?.[document.textDocument.uri] ?? []);
}

async function format(text: string): Promise<string> {
    const document = await parse(text);
    const edits = await services.lsp.Formatter!.formatDocument(document, {
        ...documentParams(document),
        options: { tabSize: 2, insertSpaces: true },
    });
    return TextDocument.applyEdits(document.textDocument, edits);
}

async function completionLabels(text: string, at: string, inside: number): Promise<string[]> {
    const document = await parse(text);
    const list = await services.lsp.CompletionProvider!.getCompletion(document, {
        ...documentParams(document),
        position: document.textDocument.positionAt(offsetOf(text, at, inside)),
    });
    return (list?.items ?? []).map((item) => item.label);
}

describe('judges in the editor', () => {
    it('hovers the judge with its model, scale rule and cache', async () => {
        const markdown = await hoverAt('judge style', 7);
        expect(markdown).toContain('**judge** `style` of rubric `correctness`');
        expect(markdown).toContain('asks model `critic` (frozen), at most 16 tokens');
        expect(markdown).toContain('the first number of the answer in 1..5');
        expect(markdown).toContain('judge-cache/');
    });

    it('hovers the settings of the judge block', async () => {
        expect(await hoverAt('scale: 1..5', 1)).toMatch(/^\*\*scale\*\* — `lo\.\.hi`/);
        expect(await hoverAt('{ model: critic', 3)).toMatch(/^\*\*model\*\* — the frozen model the judge asks/);
    });

    it('completes the models after `model:` and the agents in the prompt', async () => {
        const text = TEXT.replace('model: critic  prompt', 'model: cr  prompt');
        expect(await completionLabels(text, 'model: cr  prompt', 9)).toContain('critic');
        const hole = TEXT.replace('{{solver.output}} from 1 to 5', '{{so}} from 1 to 5');
        expect(await completionLabels(hole, '{{so}}', 4)).toContain('solver');
    });

    it('renames the model and an agent into the judge', async () => {
        const model = await renameAt('model critic', 7, 'grader');
        expect(model).toContain('model grader {');
        expect(model).toContain('{ model: grader  prompt:');
        const agent = await renameAt('agent solver', 7, 'worker');
        expect(agent).toContain('"Rate {{worker.output}} from 1 to 5"');
    });

    it('formats a judge on one line or as a block, the scale written `lo..hi`', async () => {
        const messy = TEXT.replace(
            '  judge style weight 0.3 { model: critic  prompt: "Rate {{solver.output}} from 1 to 5"  scale: 1..5 }',
            '  judge   style weight 0.3 {model:critic prompt:"Rate {{solver.output}} from 1 to 5" scale : 1 .. 5}',
        );
        expect(await format(messy)).toContain(
            '  judge style weight 0.3 { model: critic  prompt: "Rate {{solver.output}} from 1 to 5"  scale: 1..5 }',
        );
        const block = TEXT.replace(
            'weight 0.3 { model: critic  prompt',
            'weight 0.3 {\nmodel: critic\n prompt',
        ).replace('scale: 1..5 }', 'scale: 1 ..5\n}');
        expect(await format(block)).toContain(
            '  judge style weight 0.3 {\n    model: critic\n    prompt: "Rate {{solver.output}} from 1 to 5"\n    scale: 1..5\n  }',
        );
    });

    it('colours `judge <name>` like a criterion in the TextMate grammar', () => {
        const grammar = JSON.parse(readFileSync('syntaxes/mas.tmLanguage.json', 'utf8')) as Grammar;
        const [tokens] = new MiniTokenizer(grammar).tokenizeLines(['  judge style weight 0.3 { model: critic }']);
        const scopesOf = (text: string) => tokens!.find((token) => token.text === text)?.scopes ?? [];
        expect(scopesOf('judge')).toContain('storage.type.judge.mas');
        expect(scopesOf('style')).toContain('variable.other.property.criterion.mas');
    });

    it('lists a judge criterion in the outline of its rubric', async () => {
        const document = await parse(TEXT);
        type Symbol = { name: string; detail?: string; children?: Symbol[] };
        const symbols = (await services.lsp.DocumentSymbolProvider!.getSymbols(
            document,
            documentParams(document),
        )) as Symbol[];
        const all = (list: Symbol[]): Symbol[] => list.flatMap((s) => [s, ...all(s.children ?? [])]);
        const rubric = all(symbols).find((symbol) => symbol.name === 'correctness');
        expect(rubric?.children?.map((child) => [child.name, child.detail])).toEqual([
            ['answer', 'weight 0.7'],
            ['style', 'judge, weight 0.3'],
        ]);
    });
});
