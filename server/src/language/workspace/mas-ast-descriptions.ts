import {
    AstUtils, CstUtils, DefaultAstNodeDescriptionProvider, DefaultReferenceDescriptionProvider, isMultiReference, isReference, UriUtils,
    type AstNode, type AstNodeDescription, type DocumentSegment, type LangiumDocument, type ReferenceDescription, type ReferenceInfo,
} from 'langium';

/**
 * Langium's descriptions of named declarations, with the path and the source segments computed
 * when first read instead of when the description is made. Every named node gets a description
 * (for its container's local scope, and top-level ones again for the index) while most are never
 * looked at by a reference, hover or rename; computing a CST range and a path for each cost more
 * than all of the scope computation besides. The values are the same: the node they are computed
 * from is kept by the description and an AST is never changed after parsing.
 */
export class MasAstNodeDescriptionProvider extends DefaultAstNodeDescriptionProvider {
    override createDescription(node: AstNode, name: string | undefined, document?: LangiumDocument): AstNodeDescription {
        const documentUri = (document ?? AstUtils.getDocument(node)).uri;
        const givenName = name ?? this.nameProvider.getName(node);
        if (!givenName) {
            throw new Error(`Node at path ${this.astNodeLocator.getAstNodePath(node)} has no name.`);
        }
        const locator = this.astNodeLocator;
        const names = this.nameProvider;
        let path: string | undefined;
        let selectionSegment: DocumentSegment | undefined;
        let nameSegment: DocumentSegment | undefined;
        return {
            node,
            name: givenName,
            type: node.$type,
            documentUri,
            get path(): string {
                return path ??= locator.getAstNodePath(node);
            },
            get selectionSegment(): DocumentSegment | undefined {
                return selectionSegment ??= CstUtils.toDocumentSegment(node.$cstNode);
            },
            get nameSegment(): DocumentSegment | undefined {
                return nameSegment ??= CstUtils.toDocumentSegment(names.getNameNode(node) ?? node.$cstNode);
            },
        };
    }
}

/**
 * Langium's descriptions of resolved references for the reference index, with the source path and
 * segment computed when first read (by find references or rename), as for declarations above. The
 * index entries of a document are replaced whenever it is relinked, so they never outlive its AST.
 */
export class MasReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
    protected override createInfoDescriptions(refInfo: ReferenceInfo): ReferenceDescription[] {
        const reference = refInfo.reference;
        const refNode = reference.$refNode;
        if (reference.error || !refNode) {
            return [];
        }
        const targets = isReference(reference) && reference.$nodeDescription ? [reference.$nodeDescription]
            : isMultiReference(reference) ? reference.items.flatMap(item => (item.$nodeDescription ? [item.$nodeDescription] : []))
                : [];
        if (targets.length === 0) {
            return [];
        }
        const sourceUri = AstUtils.getDocument(refInfo.container).uri;
        const locator = this.nodeLocator;
        let sourcePath: string | undefined;
        let segment: DocumentSegment | undefined;
        const sourcePathOf = () => (sourcePath ??= locator.getAstNodePath(refInfo.container));
        const segmentOf = () => (segment ??= CstUtils.toDocumentSegment(refNode));
        return targets.map(target => ({
            sourceUri,
            targetUri: target.documentUri,
            targetPath: target.path,
            local: UriUtils.equals(target.documentUri, sourceUri),
            get sourcePath(): string {
                return sourcePathOf();
            },
            get segment(): DocumentSegment {
                return segmentOf();
            },
        }));
    }
}
