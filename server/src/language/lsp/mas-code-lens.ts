import type { LangiumDocument, MaybePromise } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens, CodeLensParams } from 'vscode-languageserver';
import type { MasServices } from '../mas-module.js';

/** `Train` and `Show graph` lenses on the workflow header. (stub) */
export class MasCodeLensProvider implements CodeLensProvider {
    constructor(protected readonly services: MasServices) {}

    provideCodeLens(_document: LangiumDocument, _params: CodeLensParams): MaybePromise<CodeLens[] | undefined> {
        return [];
    }
}
