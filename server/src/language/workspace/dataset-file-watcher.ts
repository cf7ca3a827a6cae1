import { AstUtils, URI, UriUtils, type LangiumDocuments } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { isDataset, isVerifier } from '../generated/ast.js';

/**
 * `dataset-file-missing` (and `verifier-file-missing`, `verifier-function-missing`) depend on a file that is not a .mas document: Langium rebuilds a document when its
 * text or an import changes, so a dataset file created (by the quick fix or by hand) or deleted would leave the
 * diagnostic stale until the next keystroke. On every watched-file event this rebuilds the .mas documents
 * whose datasets resolve to a changed path.
 */
export function watchDatasetFiles(shared: LangiumSharedServices): void {
    const documents = shared.workspace.LangiumDocuments;
    shared.lsp.DocumentUpdateHandler.onWatchedFilesChange((params) => {
        const changed = params.changes
            .map((change) => URI.parse(change.uri))
            .filter((uri) => !uri.path.endsWith('.mas'));
        const readers = documentsReadingDatasets(documents, changed);
        if (readers.length === 0) return;
        void shared.workspace.WorkspaceLock.write((token) =>
            shared.workspace.DocumentBuilder.update(readers, [], token),
        );
    });
}

/** The .mas documents that declare a dataset or a verifier whose path resolves to one of `changed`. */
export function documentsReadingDatasets(documents: LangiumDocuments, changed: URI[]): URI[] {
    if (changed.length === 0) return [];
    const wanted = new Set(changed.map((uri) => uri.toString()));
    return documents.all
        .filter((document) =>
            AstUtils.streamAst(document.parseResult.value).some((node) => {
                const path = isDataset(node) ? node.path : isVerifier(node) ? node.file : undefined;
                if (!path) return false;
                const resolved = UriUtils.resolvePath(UriUtils.dirname(document.uri), path);
                return wanted.has(resolved.toString());
            }),
        )
        .map((document) => document.uri)
        .toArray();
}
