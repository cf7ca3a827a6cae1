import type { LangiumDocument, MaybePromise } from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import type { CodeAction, CodeActionParams, Command } from 'vscode-languageserver';
import type { MasServices } from '../mas-module.js';

/** Quick fixes, keyed on the issue codes of validation/issue-codes.ts. (stub: filled by the validation work) */
export class MasCodeActionProvider implements CodeActionProvider {
    constructor(protected readonly services: MasServices) {}

    getCodeActions(_document: LangiumDocument, _params: CodeActionParams): MaybePromise<Array<Command | CodeAction> | undefined> {
        return undefined;
    }
}
