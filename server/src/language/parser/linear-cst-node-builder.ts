import {
    CompositeCstNodeImpl, CstNodeBuilder, CstUtils, LeafCstNodeImpl,
    type CompositeCstNode, type CstNode, type GrammarAST, type LeafCstNode, type RootCstNode,
} from 'langium';
import type { IToken } from 'chevrotain';

/** Private fields of Langium's CST builder that the faster methods below use. */
interface BuilderInternals {
    rootNode: RootCstNode;
    nodeStack: CompositeCstNodeImpl[];
}

/** A CST node's parent link, set by Langium's node container when a child is pushed. */
type Linked = CstNode & { container?: CompositeCstNode };

const arrayPush = Array.prototype.push;

/**
 * Langium's CST builder with two costs of the default taken out of the parser's inner loop:
 *
 * - The parser calls `addHiddenNodes` before every consumed token, usually with no hidden tokens
 *   at all; for the first token of each declaration the default then searches the root's children
 *   with `indexOf`, which makes a file with N top-level declarations cost O(N²) (a 100 000-line
 *   file took 17 s to parse). Nothing to add means nothing to search for.
 * - Every new node went through the node container's variadic `push`, which allocates an
 *   argument array per CST node to set the parent link; the links are set here directly.
 */
export class LinearCstNodeBuilder extends CstNodeBuilder {
    override addHiddenNodes(tokens: IToken[]): void {
        if (tokens.length > 0) {
            super.addHiddenNodes(tokens);
        }
    }

    override buildCompositeNode(feature: GrammarAST.AbstractElement): CompositeCstNode {
        const internals = this as unknown as BuilderInternals;
        const node = new CompositeCstNodeImpl();
        node.grammarSource = feature;
        node.root = internals.rootNode;
        this.append(node);
        internals.nodeStack.push(node);
        return node;
    }

    override buildLeafNode(token: IToken, feature?: GrammarAST.AbstractElement): LeafCstNode {
        const internals = this as unknown as BuilderInternals;
        const node = new LeafCstNodeImpl(token.startOffset, token.image.length, CstUtils.tokenToRange(token), token.tokenType, !feature);
        node.grammarSource = feature;
        node.root = internals.rootNode;
        this.append(node);
        return node;
    }

    /** What the node container's `push` does for one node: link it to its parent, then append it. */
    private append(node: Linked): void {
        const parent = this.current;
        node.container = parent;
        arrayPush.call(parent.content, node);
    }
}
