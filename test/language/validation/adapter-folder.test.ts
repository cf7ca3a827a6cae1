// `lora(from: "...")` (issue 13 item 6): the folder, relative to the .mas file, must hold adapter_config.json; the
// error names the resolved path; the compiled spec carries the absolute folder; hover says rank/alpha come from it.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMasServices } from '../../../server/src/language/mas-module.js';
import type { MasFile } from '../../../server/src/language/generated/ast.js';
import { compileFile } from '../../../server/src/compile/compile-file.js';
import { LORA_PARAMETERS } from '../../../server/src/language/catalog/training-catalog.js';
import { diagnosticCode } from './validation-helpers.js';

const fixture = readFileSync(join(import.meta.dirname, '../../fixtures/invalid/dataset-file-missing.mas'), 'utf8');

function withAdapter(from: string): string {
    return fixture.replace(
        'from: scratch(layers: 2, hidden: 64, vocab: chars)',
        `from: hf "Qwen/Qwen3-0.6B"\n  adapter: lora(from: ${from})`,
    );
}

describe('lora(from: ...) (on the real file system)', () => {
    let folder: string;
    const { shared } = createMasServices(NodeFileSystem);

    beforeEach(() => {
        folder = mkdtempSync(join(tmpdir(), 'mas-adapter-from-'));
        mkdirSync(join(folder, 'data'));
        writeFileSync(join(folder, 'data', 'missing.jsonl'), '{"question": "1+1", "answer": 2}\n');
    });
    afterEach(() => rmSync(folder, { recursive: true, force: true }));

    async function validate(text: string): Promise<LangiumDocument<MasFile>> {
        const document = shared.workspace.LangiumDocumentFactory.fromString<MasFile>(
            text,
            URI.file(join(folder, 'main.mas')),
        );
        shared.workspace.LangiumDocuments.addDocument(document);
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        shared.workspace.LangiumDocuments.deleteDocument(document.uri);
        return document;
    }

    const flagged = (document: LangiumDocument) =>
        (document.diagnostics ?? []).filter((d) => diagnosticCode(d) === 'adapter-folder-missing');

    it('is an error naming the resolved folder when it does not exist', async () => {
        const [diagnostic] = flagged(await validate(withAdapter('"adapters/solver"')));
        expect(diagnostic?.severity).toBe(1);
        expect(diagnostic?.message).toContain(join(folder, 'adapters', 'solver'));
        expect(diagnostic?.message).toContain('does not exist');
    });

    it('is an error when the folder holds no adapter_config.json', async () => {
        mkdirSync(join(folder, 'adapters', 'solver'), { recursive: true });
        const [diagnostic] = flagged(await validate(withAdapter('"adapters/solver"')));
        expect(diagnostic?.message).toContain('holds no adapter_config.json');
    });

    it('is silent for an adapter folder, and the compiled spec holds its absolute path', async () => {
        mkdirSync(join(folder, 'adapters', 'solver'), { recursive: true });
        writeFileSync(join(folder, 'adapters', 'solver', 'adapter_config.json'), '{}');
        const document = await validate(withAdapter('"adapters/solver"'));
        expect(flagged(document)).toEqual([]);
        expect((document.diagnostics ?? []).filter((d) => d.severity === 1)).toEqual([]);
        writeFileSync(join(folder, 'main.mas'), withAdapter('"adapters/solver"'));
        const outcome = await compileFile(join(folder, 'main.mas'));
        expect(outcome.ok && outcome.spec.models[0]!.adapter).toEqual({
            kind: 'lora',
            rank: 8,
            alpha: 16,
            dropout: 0,
            from: join(folder, 'adapters', 'solver'),
        });
    });

    it('refuses a value that is not a quoted path', async () => {
        const document = await validate(withAdapter('solver'));
        const codes = (document.diagnostics ?? []).map((d) => [diagnosticCode(d), d.message]);
        expect(codes).toContainEqual(['invalid-parameter', expect.stringContaining('quoted folder path')]);
    });

    it('is documented in the lora catalogue: rank and alpha come from the folder', () => {
        const doc = LORA_PARAMETERS.find((p) => p.name === 'from');
        expect(doc?.kind).toBe('path');
        expect(doc?.doc).toMatch(/rank, alpha .* come from the folder/);
    });
});
