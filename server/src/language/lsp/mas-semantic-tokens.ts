import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import type { AstNode } from 'langium';
import type { MasServices } from '../mas-module.js';

/** Semantic tokens, template holes inside strings coloured as references. (stub) */
export class MasSemanticTokenProvider extends AbstractSemanticTokenProvider {
    constructor(services: MasServices) {
        super(services);
    }

    protected highlightElement(_node: AstNode, _acceptor: SemanticTokenAcceptor): void | 'prune' | undefined {
        return undefined;
    }
}
