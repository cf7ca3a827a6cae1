import { EmptyFileSystem, TextDocument, URI, type FileSystemProvider, type LangiumDocument } from 'langium';
import type { CodeAction, Diagnostic } from 'vscode-languageserver';
import { createMasServices } from '../../../server/src/language/mas-module.js';
import type { MasFile } from '../../../server/src/language/generated/ast.js';

/**
 * Fresh services per test file: documents of one test never leak into another's scope. Without a file
 * system (the default) checks that stat files (dataset paths) cannot tell and stay silent.
 */
export function createValidationServices(
    fileSystem: { fileSystemProvider: () => FileSystemProvider } = EmptyFileSystem,
) {
    const { Mas, shared } = createMasServices(fileSystem);
    let counter = 0;

    /**
     * Builds several files together (so that imports resolve) and validates them; returns the
     * documents by file name. Each call uses its own folder so files of earlier calls stay out of scope.
     */
    async function buildFiles(files: Record<string, string>): Promise<Record<string, LangiumDocument<MasFile>>> {
        const folder = `file:///workspace${counter++}`;
        const documents: Record<string, LangiumDocument<MasFile>> = {};
        for (const [name, text] of Object.entries(files)) {
            const document = shared.workspace.LangiumDocumentFactory.fromString<MasFile>(
                text,
                URI.parse(`${folder}/${name}`),
            );
            shared.workspace.LangiumDocuments.addDocument(document);
            documents[name] = document;
        }
        await shared.workspace.DocumentBuilder.build(Object.values(documents), { validation: true });
        return documents;
    }

    /** Validates one file on its own and returns its document. */
    async function validate(text: string): Promise<LangiumDocument<MasFile>> {
        return (await buildFiles({ 'main.mas': text }))['main.mas']!;
    }

    /** The quick fixes offered for the diagnostics with `code`. */
    async function codeActions(document: LangiumDocument, code: string): Promise<CodeAction[]> {
        const diagnostics = (document.diagnostics ?? []).filter((d) => diagnosticCode(d) === code);
        const result = await Mas.lsp.CodeActionProvider!.getCodeActions(document, {
            textDocument: { uri: document.textDocument.uri },
            range: diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            context: { diagnostics, triggerKind: 1 },
        });
        return (result ?? []) as CodeAction[];
    }

    return { services: Mas, shared, buildFiles, validate, codeActions };
}

export function diagnosticCode(diagnostic: Diagnostic): string | undefined {
    const data = diagnostic.data as { code?: string } | undefined;
    return data?.code ?? (diagnostic.code === undefined ? undefined : String(diagnostic.code));
}

/** Codes of the errors and warnings of a document (parser errors included, as `parsing-error` etc.). */
export function problemCodes(document: LangiumDocument): string[] {
    return (document.diagnostics ?? [])
        .filter((d) => d.severity === 1 || d.severity === 2)
        .map((d) => diagnosticCode(d) ?? `(no code) ${d.message}`);
}

/** The text of a document after applying a code action's edits to it. */
export function applyAction(document: LangiumDocument, action: CodeAction, uri = document.textDocument.uri): string {
    const edits = action.edit?.changes?.[uri] ?? [];
    const text = TextDocument.create(uri, 'mas', 0, document.textDocument.getText());
    return TextDocument.applyEdits(text, edits);
}
