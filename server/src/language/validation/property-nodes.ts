import { AstUtils, GrammarAST, type AstNode, type CstNode } from 'langium';

/**
 * The CST nodes of each property assigned in `node`'s own syntax, in text order: what Langium's
 * `GrammarUtils.findNodesForProperty(node.$cstNode, property)` returns for every property, from one
 * walk instead of one per property (the agent check asked for six).
 */
export function propertyNodes(node: AstNode): Map<string, CstNode[]> {
    const found = new Map<string, CstNode[]>();
    const cst = node.$cstNode;
    if (cst) {
        collect(cst, cst.astNode, true, new Set(), found);
    }
    return found;
}

/**
 * Langium's search stops at a node assigned to the property it looks for and descends into the
 * other nodes of the same AST node; `matchedAbove` holds the properties an ancestor already matched.
 */
function collect(
    node: CstNode,
    element: AstNode,
    first: boolean,
    matchedAbove: ReadonlySet<string>,
    found: Map<string, CstNode[]>,
): void {
    let matched = matchedAbove;
    if (!first) {
        const feature = AstUtils.getContainerOfType(node.grammarSource, GrammarAST.isAssignment)?.feature;
        if (feature !== undefined && !matchedAbove.has(feature)) {
            const nodes = found.get(feature) ?? [];
            nodes.push(node);
            found.set(feature, nodes);
            matched = new Set(matchedAbove).add(feature);
        }
    }
    if ('content' in node && node.astNode === element) {
        for (const child of (node as { content: CstNode[] }).content) {
            collect(child, element, false, matched, found);
        }
    }
}
