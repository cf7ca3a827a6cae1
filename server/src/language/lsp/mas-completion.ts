import { DefaultCompletionProvider } from 'langium/lsp';
import type { MasServices } from '../mas-module.js';

/** Completion: keywords and references come from Langium; this adds catalogue-driven items. (stub) */
export class MasCompletionProvider extends DefaultCompletionProvider {
    constructor(services: MasServices) {
        super(services);
    }
}
