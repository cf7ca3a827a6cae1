import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createTestServices } from './lsp-test-helpers.js';

interface Snippet {
    prefix: string | string[];
    description: string;
    body: string[];
}

const snippets = JSON.parse(readFileSync('snippets/mas.json', 'utf8')) as Record<string, Snippet>;
const languageConfiguration = JSON.parse(readFileSync('language-configuration.json', 'utf8')) as Record<
    string,
    unknown
>;
const { parse } = createTestServices();

/**
 * The text VS Code inserts when every placeholder keeps its default (first choice of a choice),
 * following the snippet syntax: `${1:default}`, `${1|a,b|}`, `$1`, and `\` escaping `$`, `}`, `\` (and `,`/`|` in choices).
 */
function expandDefaults(body: string): string {
    let output = '';
    let i = 0;
    const readUntil = (stops: string): string => {
        let text = '';
        while (i < body.length && !stops.includes(body[i]!)) {
            if (body[i] === '\\' && i + 1 < body.length && '$}\\,|'.includes(body[i + 1]!)) {
                text += body[i + 1];
                i += 2;
            } else if (body[i] === '$' && body[i + 1] === '{') {
                text += readPlaceholder();
            } else if (body[i] === '$' && /\d/.test(body[i + 1] ?? '')) {
                i += 2;
            } else {
                text += body[i++];
            }
        }
        return text;
    };
    const readPlaceholder = (): string => {
        i += 2;
        while (/\d/.test(body[i]!)) {
            i++;
        }
        if (body[i] === '}') {
            i++;
            return '';
        }
        if (body[i] === '|') {
            i++;
            const first = readUntil(',|');
            readUntil('|');
            i += 2; // `|}`
            return first;
        }
        i++; // `:`
        const text = readUntil('}');
        i++;
        return text;
    };
    output = readUntil('');
    return output;
}

/** Snippets that are not whole declarations, with the declaration they go inside. */
const CONTEXT: Record<string, (text: string) => string> = {
    'Conditional edge': (text) => `role R\nagent verifier: R { }\nagent solver: R { }\ngraph { ${text} }`,
    Criterion: (text) => `role R\nagent solver: R { }\nrubric r { ${text} }`,
};

describe('snippets', () => {
    // The agent snippet is served by the language server (lsp/declaration-snippets.ts): it fills in the file's names.
    it('cover the workflow skeleton and every kind of declaration', () => {
        expect(Object.keys(snippets)).toEqual(
            expect.arrayContaining([
                'Workflow skeleton',
                'Model from Hugging Face',
                'Model from scratch',
                'Graph',
                'Rubric',
                'Criterion',
                'Train block',
                'Dataset',
            ]),
        );
        for (const snippet of Object.values(snippets)) {
            expect(snippet.description.length).toBeGreaterThan(10);
        }
    });

    it.each(Object.entries(snippets))('%s expands, with its defaults, to text that parses', async (name, snippet) => {
        const text = expandDefaults(snippet.body.join('\n'));
        const document = await parse((CONTEXT[name] ?? ((t) => t))(text));
        expect(
            document.parseResult.lexerErrors.map((e) => e.message),
            text,
        ).toEqual([]);
        expect(
            document.parseResult.parserErrors.map((e) => e.message),
            text,
        ).toEqual([]);
    });

    it('keeps escaped backslashes and braces of regexes and templates', () => {
        expect(expandDefaults(snippets['Criterion']!.body.join('\n'))).toBe(
            'criterion format weight 0.2: solver.output matches /\\\\boxed\\{/',
        );
    });

    it('expands the workflow skeleton to a workflow with its references resolved', async () => {
        const text = expandDefaults(snippets['Workflow skeleton']!.body.join('\n'));
        expect(text).toContain('prompt: "{{task.question}}"');
        const document = await parse(text, { validation: true });
        const errors = (document.diagnostics ?? []).filter((d) => d.severity === 1);
        expect(errors.map((d) => d.message)).toEqual([]);
    });
});

describe('language configuration', () => {
    it('declares comments, brackets, quote auto-closing and a word pattern that matches names', () => {
        expect(languageConfiguration['comments']).toEqual({ lineComment: '//', blockComment: ['/*', '*/'] });
        expect(languageConfiguration['brackets']).toEqual([
            ['{', '}'],
            ['[', ']'],
            ['(', ')'],
        ]);
        expect(JSON.stringify(languageConfiguration['autoClosingPairs'])).toContain('"open":"\\""');
        const wordPattern = new RegExp(languageConfiguration['wordPattern'] as string, 'g');
        expect('agent max_tokens: 2e-5'.match(wordPattern)).toEqual(['agent', 'max_tokens', '2e-5']);
    });
});
