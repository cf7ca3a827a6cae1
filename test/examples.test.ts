// Every example under examples/ must load with its imports and have no error diagnostics
// (parse, link and — once registered — validation).
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { URI } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { describe, expect, it } from 'vitest';
import { createMasServices } from '../server/src/language/mas-module.js';

const EXAMPLES = resolve('examples');

function masFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) return masFiles(path);
        return entry.name.endsWith('.mas') ? [path] : [];
    });
}

describe('examples', async () => {
    const { shared } = createMasServices(NodeFileSystem);
    const files = masFiles(EXAMPLES);
    const documents = await Promise.all(
        files.map((file) => shared.workspace.LangiumDocuments.getOrCreateDocument(URI.file(file))),
    );
    await shared.workspace.DocumentBuilder.build(documents, { validation: true });

    it('has the seven example folders', () => {
        for (const name of ['signal', 'lazy-team', 'relay', 'math-team', 'malt', 'code-team', 'common']) {
            expect(files.some((f) => f.includes(`${name}/`))).toBe(true);
        }
    });

    it.each(documents.map((d) => [d.uri.fsPath.slice(EXAMPLES.length + 1), d] as const))(
        '%s has no errors',
        (_name, document) => {
            const errors = (document.diagnostics ?? [])
                .filter((d) => d.severity === 1)
                .map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.message}`);
            expect(errors).toEqual([]);
            expect(document.parseResult.parserErrors).toEqual([]);
        },
    );
});
