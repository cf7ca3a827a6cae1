import { GrammarUtils, type LangiumDocument, type MaybePromise } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens, CodeLensParams, Range } from 'vscode-languageserver';
import { isTrain, type MasFile } from '../generated/ast.js';
import { COMMAND_IDS } from '../../../../protocol/commands.js';
import type { MasServices } from '../mas-module.js';

/**
 * `Train` and `Show graph` above the `workflow` header — or above the `train` block in a file
 * without a header (a library of shared models and rubrics has neither and gets no lenses).
 */
export class MasCodeLensProvider implements CodeLensProvider {
    constructor(protected readonly services: MasServices) {}

    provideCodeLens(document: LangiumDocument, _params: CodeLensParams): MaybePromise<CodeLens[] | undefined> {
        const range = lensAnchor(document.parseResult.value as MasFile);
        if (!range) {
            return [];
        }
        const uri = document.uri.toString();
        return [
            // The lenses pass the document URI: the commands' handlers accept it (client/src/command-table.ts).
            { range, command: { title: 'Train', command: COMMAND_IDS.startTraining, arguments: [uri] } },
            { range, command: { title: 'Show graph', command: COMMAND_IDS.showGraph, arguments: [uri] } },
        ];
    }
}

/** The range of the `workflow` keyword, else of the `train` keyword. */
function lensAnchor(file: MasFile): Range | undefined {
    const header =
        file.$cstNode && file.workflow !== undefined
            ? GrammarUtils.findNodeForKeyword(file.$cstNode, 'workflow')
            : undefined;
    if (header) {
        return header.range;
    }
    const train = file.elements?.find(isTrain);
    return train?.$cstNode && GrammarUtils.findNodeForKeyword(train.$cstNode, 'train')?.range;
}
