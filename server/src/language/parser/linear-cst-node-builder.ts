import { CstNodeBuilder } from 'langium';
import type { IToken } from 'chevrotain';

/**
 * Langium's parser calls `addHiddenNodes` before every consumed token, usually with no hidden
 * tokens at all; for the first token of each declaration the default then searches the root's
 * children with `indexOf`, which makes a file with N top-level declarations cost O(N²)
 * (a 100 000-line file took 17 s to parse). Nothing to add means nothing to search for.
 */
export class LinearCstNodeBuilder extends CstNodeBuilder {
    override addHiddenNodes(tokens: IToken[]): void {
        if (tokens.length > 0) {
            super.addHiddenNodes(tokens);
        }
    }
}
