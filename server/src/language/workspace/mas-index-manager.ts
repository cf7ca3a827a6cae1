import {
    DefaultIndexManager,
    stream,
    type AstNodeDescription,
    type LangiumDocument,
    type ReferenceDescription,
    type Stream,
} from 'langium';

/**
 * Langium's index, with the two lookups that run for every file on every change made
 * proportional to what they ask about rather than to the size of the workspace.
 */
export class MasIndexManager extends DefaultIndexManager {
    /** The files each file's references point into, per reference index entry (replaced whenever the file is relinked). */
    private readonly targetFiles = new WeakMap<ReferenceDescription[], Set<string>>();

    /**
     * With `uris`, only those files are looked up. Langium walks every indexed file to filter them,
     * and the scope provider asks once per file and reference type: quadratic in a workspace of
     * 1 000 files. The descriptions come in the order of `uris` (the importing file, then its imports).
     */
    override allElements(nodeType?: string, uris?: Set<string>): Stream<AstNodeDescription> {
        if (!uris) {
            return super.allElements(nodeType);
        }
        return stream(uris)
            .filter((uri) => this.symbolIndex.has(uri))
            .flatMap((uri) => this.getFileDescriptions(uri, nodeType));
    }

    /**
     * Same answer as Langium's (does the document reference a changed file?), from a set of target
     * files built once per reference index entry instead of a scan of every reference on every change.
     */
    override isAffected(document: LangiumDocument, changedUris: Set<string>): boolean {
        const references = this.referenceIndex.get(document.uri.toString());
        if (!references) {
            return false;
        }
        let targets = this.targetFiles.get(references);
        if (!targets) {
            targets = new Set(
                references.filter((reference) => !reference.local).map((reference) => reference.targetUri.toString()),
            );
            this.targetFiles.set(references, targets);
        }
        for (const changed of changedUris) {
            if (targets.has(changed)) {
                return true;
            }
        }
        return false;
    }
}
