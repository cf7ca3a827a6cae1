import { DocumentState } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { WorkspaceTrustParams } from '../../../protocol/lsp.js';
import type { MasServices } from '../language/mas-module.js';

/**
 * `mas/workspaceTrust`: records the editor's trust and, when it changed, revalidates every document so that
 * `verifier-untrusted` appears or goes away without an edit. Resolves once the rebuild has run.
 */
export async function handleWorkspaceTrust(
    params: WorkspaceTrustParams,
    Mas: MasServices,
    shared: LangiumSharedServices,
): Promise<void> {
    if (typeof params?.trusted !== 'boolean') return;
    if (!Mas.workspace.WorkspaceTrust.set(params.trusted)) return;
    await shared.workspace.WorkspaceLock.write(async (token) => {
        // Validation only: the texts and links are unchanged, so the documents are not parsed or linked again.
        const builder = shared.workspace.DocumentBuilder;
        const documents = shared.workspace.LangiumDocuments.all.toArray();
        documents.forEach((document) => builder.resetToState(document, DocumentState.IndexedReferences));
        await builder.build(documents, { validation: true }, token);
    });
}
