import { AstNodeHoverProvider } from 'langium/lsp';
import type { AstNode, MaybePromise } from 'langium';
import type { MasServices } from '../mas-module.js';

/** Hover documentation for roles, agents, models and credit methods. (stub) */
export class MasHoverProvider extends AstNodeHoverProvider {
    constructor(services: MasServices) {
        super(services);
    }

    protected getAstNodeHoverContent(_node: AstNode): MaybePromise<string | undefined> {
        return undefined;
    }
}
