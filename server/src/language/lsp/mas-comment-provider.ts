import { DefaultCommentProvider, isAstNodeWithComment, type AstNode, type CstNode } from 'langium';

/**
 * Langium's comment provider, with the sibling lookup done by binary search. The default finds
 * the node before a declaration with `indexOf` over the file's top-level CST nodes, so asking for
 * the documentation of every declaration (completion with 20 000 symbols, hover lists) cost
 * O(N²).
 */
export class MasCommentProvider extends DefaultCommentProvider {
    override getComment(node: AstNode): string | undefined {
        if (isAstNodeWithComment(node)) {
            return node.$comment;
        }
        return findCommentNode(node.$cstNode, this.grammarConfig().multilineCommentRules)?.text;
    }
}

/** Same result as Langium's `CstUtils.findCommentNode`. */
function findCommentNode(cstNode: CstNode | undefined, commentNames: string[]): CstNode | undefined {
    if (!cstNode) {
        return undefined;
    }
    const previous = previousNode(cstNode);
    if (previous && isComment(previous, commentNames)) {
        return previous;
    }
    if (!cstNode.container && 'content' in cstNode) {
        // The root: the comment directly before its first token.
        const content = (cstNode as { content: CstNode[] }).content;
        const firstToken = content.findIndex((child) => !child.hidden);
        for (let i = firstToken - 1; i >= 0; i--) {
            if (isComment(content[i]!, commentNames)) {
                return content[i];
            }
        }
    }
    return undefined;
}

function isComment(node: CstNode, commentNames: string[]): boolean {
    return 'tokenType' in node && commentNames.includes((node as { tokenType: { name: string } }).tokenType.name);
}

/** The CST node just before `node` (hidden nodes included), climbing out of containers it starts. */
function previousNode(node: CstNode): CstNode | undefined {
    let current = node;
    while (current.container) {
        const siblings = current.container.content;
        const index = indexInSiblings(siblings, current);
        if (index > 0) {
            return siblings[index - 1];
        }
        current = current.container;
    }
    return undefined;
}

/** Siblings are in text order, so a binary search on offsets finds a node; `indexOf` covers ties. */
export function indexInSiblings(siblings: readonly CstNode[], node: CstNode): number {
    const target = node.offset;
    let low = 0;
    let high = siblings.length - 1;
    while (low <= high) {
        const middle = (low + high) >>> 1;
        const sibling = siblings[middle]!;
        if (sibling === node) {
            return middle;
        }
        if (sibling.offset < target) {
            low = middle + 1;
        } else if (sibling.offset > target) {
            high = middle - 1;
        } else {
            break;
        }
    }
    return siblings.indexOf(node);
}
