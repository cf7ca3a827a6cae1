import type { PartialLangiumServices } from 'langium/lsp';

/** Services of the editor features (completion, hover, ...) that the .mas language adds. */
export type MasLspServices = object;

/** Bindings of the .mas editor features; each provider lives in its own file of this folder. */
export const MasLspModule: Pick<PartialLangiumServices, 'lsp'> = {
    lsp: {},
};
