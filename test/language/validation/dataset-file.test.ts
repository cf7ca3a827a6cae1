import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import type { CreateFile } from 'vscode-languageserver';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMasServices } from '../../../server/src/language/mas-module.js';
import type { MasFile } from '../../../server/src/language/generated/ast.js';
import { diagnosticCode } from './validation-helpers.js';

const fixture = readFileSync(join(import.meta.dirname, '../../fixtures/invalid/dataset-file-missing.mas'), 'utf8');

describe('dataset-file-missing (on the real file system)', () => {
    let folder: string;
    const { Mas, shared } = createMasServices(NodeFileSystem);

    beforeEach(() => {
        folder = mkdtempSync(join(tmpdir(), 'mas-dataset-file-'));
    });
    afterEach(() => rmSync(folder, { recursive: true, force: true }));

    async function validate(path: string): Promise<LangiumDocument<MasFile>> {
        const text = fixture.replace('"data/missing.jsonl"', JSON.stringify(path));
        const document = shared.workspace.LangiumDocumentFactory.fromString<MasFile>(
            text,
            URI.file(join(folder, 'main.mas')),
        );
        shared.workspace.LangiumDocuments.addDocument(document);
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        shared.workspace.LangiumDocuments.deleteDocument(document.uri);
        return document;
    }

    const missing = (document: LangiumDocument) =>
        (document.diagnostics ?? []).filter((d) => diagnosticCode(d) === 'dataset-file-missing');

    it('flags a path that resolves to no file, naming the file, and offers to create it empty', async () => {
        const document = await validate('data/tasks.jsonl');
        const [diagnostic] = missing(document);
        expect(diagnostic?.severity).toBe(2);
        expect(diagnostic?.message).toContain(join(folder, 'data', 'tasks.jsonl'));
        const actions = await Mas.lsp.CodeActionProvider!.getCodeActions(document, {
            textDocument: { uri: document.textDocument.uri },
            range: diagnostic!.range,
            context: { diagnostics: [diagnostic!], triggerKind: 1 },
        });
        const fix = actions?.[0] as { title: string; edit?: { documentChanges?: CreateFile[] } };
        expect(fix.title).toBe('Create the empty file data/tasks.jsonl');
        expect(fix.edit?.documentChanges).toEqual([
            {
                kind: 'create',
                uri: URI.file(join(folder, 'data', 'tasks.jsonl')).toString(),
                options: { overwrite: false, ignoreIfExists: true },
            },
        ]);
    });

    it('is silent when the file exists', async () => {
        mkdirSync(join(folder, 'data'));
        writeFileSync(join(folder, 'data', 'tasks.jsonl'), '{"question": "1+1", "answer": 2}\n');
        expect(missing(await validate('data/tasks.jsonl'))).toEqual([]);
    });

    it('flags a folder, without offering to create a file there', async () => {
        mkdirSync(join(folder, 'data'));
        const [diagnostic] = missing(await validate('data'));
        expect(diagnostic?.message).toContain('folder');
        expect((diagnostic?.data as { fixes?: unknown[] }).fixes).toBeUndefined();
    });

    it('does not stat a path outside the workspace (that has its own warning)', async () => {
        const document = await validate('../../../../no/such/file.jsonl');
        expect(missing(document)).toEqual([]);
        expect(document.diagnostics?.map(diagnosticCode)).toContain('dataset-outside-workspace');
    });

    it('clears once the file is created (a watched-file event rebuilds the .mas files that read it)', async () => {
        // On disk, as the rebuild reads it again (an editor's open document would come from its buffer).
        writeFileSync(join(folder, 'main.mas'), fixture.replace('"data/missing.jsonl"', '"data/tasks.jsonl"'));
        const document = await shared.workspace.LangiumDocuments.getOrCreateDocument(
            URI.file(join(folder, 'main.mas')),
        );
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        const current = () => shared.workspace.LangiumDocuments.getDocument(document.uri)!;
        expect(missing(current())).toHaveLength(1);
        mkdirSync(join(folder, 'data'));
        writeFileSync(join(folder, 'data', 'tasks.jsonl'), '');
        shared.lsp.DocumentUpdateHandler.didChangeWatchedFiles?.({
            changes: [{ uri: URI.file(join(folder, 'data', 'tasks.jsonl')).toString(), type: 1 }],
        });
        await vi.waitUntil(() => current().state >= 6 && missing(current()).length === 0, { timeout: 5000 });
        shared.workspace.LangiumDocuments.deleteDocument(document.uri);
    });
});
