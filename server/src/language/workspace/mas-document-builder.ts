import { DefaultDocumentBuilder, type BuildOptions, type LangiumDocument, type Reference } from 'langium';

/** How far a document's reference list has been scanned for linking errors, and whether one was found. */
interface ErrorScan {
    scanned: number;
    hasError: boolean;
}

/**
 * Langium's document builder with the per-edit bookkeeping made incremental. On every change
 * Langium asks of every document in the workspace whether it must be relinked (a scan of all its
 * references for linking errors) and whether its results are complete (a service lookup and two
 * sets); in a workspace of 1 000 files that bookkeeping cost more than rebuilding the edited file.
 * The answers are the same; they are remembered until the data they were computed from is replaced.
 */
export class MasDocumentBuilder extends DefaultDocumentBuilder {
    /** Per reference list: the linker replaces the list when it unlinks a document and only appends while linking. */
    private readonly errorScans = new WeakMap<readonly Reference[], ErrorScan>();
    /** Per list of executed validation categories (replaced after every validation) and build options. */
    private readonly completeness = new WeakMap<readonly string[], WeakMap<BuildOptions, boolean>>();

    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        return this.hasLinkingError(document) || this.indexManager.isAffected(document, changedUris);
    }

    /** Same as Langium's `document.references.some(ref => ref.error !== undefined)`, scanning each reference once. */
    private hasLinkingError(document: LangiumDocument): boolean {
        const references = document.references as Reference[];
        let scan = this.errorScans.get(references);
        if (!scan) {
            scan = { scanned: 0, hasError: false };
            this.errorScans.set(references, scan);
        }
        // A reference's error is settled before the linker appends it (and a list that failed to resolve keeps failing until unlinked).
        while (!scan.hasError && scan.scanned < references.length) {
            scan.hasError = references[scan.scanned]!.error !== undefined;
            scan.scanned++;
        }
        return scan.hasError;
    }

    protected override resultsAreIncomplete(document: LangiumDocument, options: BuildOptions | undefined): boolean {
        const executed = this.buildState.get(document.uri.toString())?.result?.validationChecks;
        if (!executed || !options) {
            return super.resultsAreIncomplete(document, options);
        }
        let byOptions = this.completeness.get(executed);
        if (!byOptions) {
            byOptions = new WeakMap();
            this.completeness.set(executed, byOptions);
        }
        let incomplete = byOptions.get(options);
        if (incomplete === undefined) {
            incomplete = super.resultsAreIncomplete(document, options);
            byOptions.set(options, incomplete);
        }
        return incomplete;
    }
}
