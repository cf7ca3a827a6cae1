import type { LangiumDocument, MaybePromise } from 'langium';
import { DefaultDefinitionProvider } from 'langium/lsp';
import type { CancellationToken, DefinitionParams, LocationLink } from 'vscode-languageserver';
import { BUILTIN_SCHEME } from '../scope/builtin-verifiers.js';

/**
 * Langium's go-to-definition, without links into the built-in verifiers' document: it is no file the editor
 * can open (hover shows a built-in's signature and documentation instead).
 */
export class MasDefinitionProvider extends DefaultDefinitionProvider {
    override getDefinition(
        document: LangiumDocument,
        params: DefinitionParams,
        cancelToken?: CancellationToken,
    ): MaybePromise<LocationLink[] | undefined> {
        const links = super.getDefinition(document, params, cancelToken);
        const withoutBuiltins = (found: LocationLink[] | undefined) =>
            found?.filter((link) => !link.targetUri.startsWith(`${BUILTIN_SCHEME}:`));
        return links instanceof Promise ? links.then(withoutBuiltins) : withoutBuiltins(links);
    }
}
