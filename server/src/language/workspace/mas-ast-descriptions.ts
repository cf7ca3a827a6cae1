import {
    AstUtils,
    CstUtils,
    DefaultAstNodeDescriptionProvider,
    type AstNode,
    type AstNodeDescription,
    type DocumentSegment,
    type LangiumDocument,
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
    override createDescription(
        node: AstNode,
        name: string | undefined,
        document?: LangiumDocument,
    ): AstNodeDescription {
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
                return (path ??= locator.getAstNodePath(node));
            },
            get selectionSegment(): DocumentSegment | undefined {
                return (selectionSegment ??= CstUtils.toDocumentSegment(node.$cstNode));
            },
            get nameSegment(): DocumentSegment | undefined {
                return (nameSegment ??= CstUtils.toDocumentSegment(names.getNameNode(node) ?? node.$cstNode));
            },
        };
    }
}
