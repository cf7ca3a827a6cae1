import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TextDocument, URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import type { CodeAction, CreateFile, TextDocumentEdit } from 'vscode-languageserver';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMasServices } from '../../../server/src/language/mas-module.js';
import type { MasFile } from '../../../server/src/language/generated/ast.js';
import { diagnosticCode } from '../validation/validation-helpers.js';
import { workflowWith } from './verifier-workflow.js';

const CALL = '  criterion answer weight 1: equal(solver.output, task.answer)\n';

describe('verifier files (on the real file system)', () => {
    let folder: string;
    const { Mas, shared } = createMasServices(NodeFileSystem);

    beforeEach(() => {
        folder = mkdtempSync(join(tmpdir(), 'mas-verifier-file-'));
    });
    afterEach(() => rmSync(folder, { recursive: true, force: true }));

    async function validate(declaration: string): Promise<LangiumDocument<MasFile>> {
        const document = shared.workspace.LangiumDocumentFactory.fromString<MasFile>(
            workflowWith(declaration, CALL),
            URI.file(join(folder, 'main.mas')),
        );
        shared.workspace.LangiumDocuments.addDocument(document);
        await shared.workspace.DocumentBuilder.build([document], { validation: true });
        shared.workspace.LangiumDocuments.deleteDocument(document.uri);
        return document;
    }

    const withCode = (document: LangiumDocument, code: string) =>
        (document.diagnostics ?? []).filter((d) => diagnosticCode(d) === code);

    async function fixesFor(document: LangiumDocument, code: string): Promise<CodeAction[]> {
        const diagnostics = withCode(document, code);
        const actions = await Mas.lsp.CodeActionProvider!.getCodeActions(document, {
            textDocument: { uri: document.textDocument.uri },
            range: diagnostics[0]!.range,
            context: { diagnostics, triggerKind: 1 },
        });
        return (actions ?? []) as CodeAction[];
    }

    it('reports a missing file as an error with the resolved path, and offers to create it with a stub def', async () => {
        const document = await validate(
            'verifier equal(got: string, want: number) -> bool from "checks/verifiers.py" function math_equal',
        );
        const [diagnostic] = withCode(document, 'verifier-file-missing');
        expect(diagnostic?.severity).toBe(1);
        expect(diagnostic?.message).toContain(join(folder, 'checks', 'verifiers.py'));
        const [fix] = await fixesFor(document, 'verifier-file-missing');
        expect(fix?.title).toBe('Create checks/verifiers.py with a stub `def math_equal`');
        const uri = URI.file(join(folder, 'checks', 'verifiers.py')).toString();
        const [create, edit] = fix!.edit!.documentChanges! as [CreateFile, TextDocumentEdit];
        expect(create).toEqual({ kind: 'create', uri, options: { overwrite: false, ignoreIfExists: true } });
        expect(edit.textDocument.uri).toBe(uri);
        expect(edit.edits[0]!.newText).toMatch(/^def math_equal\(got, want\):\n/);
    });

    it('is silent when the file defines the function at top level', async () => {
        writeFileSync(
            join(folder, 'verifiers.py'),
            'import re\n\ndef math_equal(got, want):\n    return got == want\n',
        );
        const document = await validate(
            'verifier equal(got: string, want: number) -> bool from "verifiers.py" function math_equal',
        );
        expect((document.diagnostics ?? []).filter((d) => d.severity === 1)).toEqual([]);
    });

    it('uses the verifier name when no function is named', async () => {
        writeFileSync(join(folder, 'verifiers.py'), 'def equal(got, want):\n    return True\n');
        const document = await validate('verifier equal(got: string, want: number) -> bool from "verifiers.py"');
        expect(withCode(document, 'verifier-function-missing')).toEqual([]);
    });

    it('reports a file without the def (a nested or async def does not count) and offers the near name', async () => {
        writeFileSync(
            join(folder, 'verifiers.py'),
            'class A:\n    def math_equal(self): pass\n\nasync def math_equal2(a, b):\n    pass\n\ndef math_equals(got, want):\n    return True\n',
        );
        const document = await validate(
            'verifier equal(got: string, want: number) -> bool from "verifiers.py" function math_equal',
        );
        const [diagnostic] = withCode(document, 'verifier-function-missing');
        expect(diagnostic?.severity).toBe(1);
        expect(diagnostic?.message).toContain(join(folder, 'verifiers.py'));
        expect(diagnostic?.message).toContain('`math_equals`');
        const fixes = await fixesFor(document, 'verifier-function-missing');
        expect(fixes.map((f) => f.title)).toEqual([
            "Call 'math_equals' instead",
            'Add a stub `def math_equal` to verifiers.py',
        ]);
        const text = TextDocument.create(document.textDocument.uri, 'mas', 0, document.textDocument.getText());
        const fixed = TextDocument.applyEdits(text, fixes[0]!.edit!.changes![document.textDocument.uri]!);
        expect(fixed).toContain('from "verifiers.py" function math_equals\n');
        const stub = fixes[1]!.edit!.changes![URI.file(join(folder, 'verifiers.py')).toString()]![0]!;
        expect(stub.range.start).toEqual({ line: 8, character: 0 });
        expect(stub.newText).toMatch(/^\ndef math_equal\(got, want\):/);
    });

    it('inserts `function <name>` when the declaration had none', async () => {
        writeFileSync(join(folder, 'verifiers.py'), 'def equals(got, want):\n    return True\n');
        const document = await validate('verifier equal(got: string, want: number) -> bool from "verifiers.py"');
        const [fix] = await fixesFor(document, 'verifier-function-missing');
        const text = TextDocument.create(document.textDocument.uri, 'mas', 0, document.textDocument.getText());
        expect(TextDocument.applyEdits(text, fix!.edit!.changes![document.textDocument.uri]!)).toContain(
            'from "verifiers.py" function equals\n',
        );
    });

    it('flags a folder, and a path that leaves the workspace (without reading it)', async () => {
        mkdirSync(join(folder, 'v.py'));
        const directory = await validate('verifier equal(got: string, want: number) -> bool from "v.py"');
        expect(withCode(directory, 'verifier-file-missing')[0]?.message).toContain('folder');
        const outside = await validate('verifier equal(got: string, want: number) -> bool from "../../../etc/x.py"');
        expect(outside.diagnostics?.map(diagnosticCode)).toContain('verifier-outside-workspace');
        expect(withCode(outside, 'verifier-file-missing')).toEqual([]);
    });
});
