import { AbstractInlayHintProvider, type InlayHintAcceptor } from 'langium/lsp';
import type { AstNode } from 'langium';
import type { MasServices } from '../mas-module.js';

/** Inlay hints: normalized rubric weights. (stub) */
export class MasInlayHintProvider extends AbstractInlayHintProvider {
    constructor(protected readonly services: MasServices) {
        super();
    }

    computeInlayHint(_node: AstNode, _acceptor: InlayHintAcceptor): void {
        // filled by the editor-features work
    }
}
