import { describe, expect, it } from 'vitest';
import type { DocumentSymbol } from 'vscode-languageserver';
import { createTestServices, documentParams } from './lsp-test-helpers.js';

const { services, parse, hoverAt, labelsAt } = createTestServices();

const TEAM = `workflow T
dataset train from "d.jsonl" { question: string }
model base { from: hf "x"  adapter: lora(rank: 8, alpha: 16) }
role User "Asks"
role Helper "Answers"
agent user: User { model: base frozen  prompt: "{{task.question}}" }
agent helper: Helper { model: base  prompt: "{{user.output}}" }
`;

describe('frozen agents in the editor', () => {
    it('explains the `frozen` keyword on hover, and the agent hover says it is frozen', async () => {
        const keyword = await hoverAt(TEAM, TEAM.indexOf('frozen') + 2);
        expect(keyword).toContain('**frozen**');
        expect(keyword).toContain('adapter disabled');
        expect(await hoverAt(TEAM, TEAM.indexOf('agent user') + 7)).toContain(
            '- frozen: acts in rollouts, never trained, no training credit',
        );
        expect(await hoverAt(TEAM, TEAM.indexOf('agent helper') + 7)).not.toContain('frozen');
    });

    it('offers `frozen` after the model name, and after `adapter separate`', async () => {
        const base = TEAM.replace(/agent helper.*\n/, '');
        expect(await labelsAt(base + 'agent helper: Helper { model: base <|>')).toContain('frozen');
        expect(await labelsAt(base + 'agent helper: Helper { model: base adapter separate <|>')).toContain('frozen');
    });

    it('shows a frozen agent as such in the outline', async () => {
        const document = await parse(TEAM);
        const symbols = (await services.lsp.DocumentSymbolProvider!.getSymbols(
            document,
            documentParams(document),
        )) as DocumentSymbol[];
        const agents = (symbols[0]?.children ?? []).filter((s) => s.name === 'user' || s.name === 'helper');
        expect(agents.map((s) => [s.name, s.detail])).toEqual([
            ['user', 'User (frozen)'],
            ['helper', 'Helper'],
        ]);
    });

    it('formats `frozen` one space after the model', async () => {
        const document = await parse(TEAM.replace('model: base frozen', 'model: base    frozen'));
        const edits = await services.lsp.Formatter!.formatDocument(document, {
            ...documentParams(document),
            options: { tabSize: 2, insertSpaces: true },
        });
        const { TextDocument } = await import('vscode-languageserver-textdocument');
        const text = TextDocument.applyEdits(document.textDocument, edits);
        expect(text).toContain('model: base frozen');
    });
});
