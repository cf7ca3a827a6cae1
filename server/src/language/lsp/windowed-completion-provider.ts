import {
    GrammarUtils,
    type AstNode,
    type AstNodeDescription,
    type LangiumDocument,
    type ReferenceInfo,
    type Stream,
} from 'langium';
import {
    DefaultCompletionProvider,
    findNextFeatures,
    type CompletionBacktrackingInformation,
    type CompletionContext,
    type NextFeature,
} from 'langium/lsp';
import type { Position } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { completionWindow, topLevelNodes } from './completion-parse-range.js';

/**
 * The most reference items one completion request returns. The list is marked incomplete (Langium
 * always does), so the editor asks again as the user types and the narrower prefix brings the
 * remaining names; building 20 000 items with their documentation took over a second.
 */
export const MAX_REFERENCE_ITEMS = 500;

/** What one completion request knows while Langium's context builder runs: the file's top-level nodes. */
interface RequestView {
    topLevelNodes?: readonly AstNode[];
}

/**
 * Langium's completion, lexing and parsing only the top-level declarations around the cursor
 * (see completion-window.ts) and creating items only for references that match the typed prefix.
 */
export class WindowedCompletionProvider extends DefaultCompletionProvider {
    protected override *buildContexts(
        document: LangiumDocument,
        position: Position,
    ): IterableIterator<CompletionContext> {
        // Langium's builder calls `backtrackToAnyToken(text, offset)` and `findFeaturesAt(textDocument,
        // offset)`, which do not say which parsed document they are about. They run on a per-request
        // view of this provider that carries the file's top-level nodes; the provider itself keeps no state.
        const view = Object.create(this) as this & RequestView;
        view.topLevelNodes = topLevelNodes(document.parseResult.value);
        yield* super.buildContexts.call(view, document, position);
    }

    protected override findFeaturesAt(document: TextDocument, offset: number): NextFeature[] {
        const nodes = (this as RequestView).topLevelNodes;
        if (!nodes) {
            return super.findFeaturesAt(document, offset);
        }
        const text = document.getText();
        return this.featuresAfter(text.substring(completionWindow(nodes, offset, text.length).start, offset));
    }

    /** What may follow `text`: Langium's `findFeaturesAt` on a given text. */
    protected featuresAfter(text: string): NextFeature[] {
        const parsed = this.completionParser.parse(text);
        if (parsed.tokenIndex === 0) {
            const entry = GrammarUtils.getEntryRule(this.grammar)!;
            return findNextFeatures([[this.buildSyntheticEntryRuleCall(entry)]], parsed.tokens);
        }
        return findNextFeatures(
            [parsed.elementStack.map((feature) => ({ feature }))],
            parsed.tokens.slice(parsed.tokenIndex),
        );
    }

    protected override backtrackToAnyToken(text: string, offset: number): CompletionBacktrackingInformation {
        const nodes = (this as RequestView).topLevelNodes;
        if (!nodes) {
            return super.backtrackToAnyToken(text, offset);
        }
        // One more declaration back, so that the token before the cursor is in the window even
        // when the cursor is inside a declaration's first token.
        const window = completionWindow(nodes, offset, text.length);
        const start = completionWindow(nodes, window.start, text.length).start;
        const found = super.backtrackToAnyToken(text.substring(start, window.end), offset - start);
        const shift = (value: number | undefined) => (value === undefined ? undefined : value + start);
        return {
            nextTokenStart: found.nextTokenStart + start,
            nextTokenEnd: found.nextTokenEnd + start,
            previousTokenStart: shift(found.previousTokenStart),
            previousTokenEnd: shift(found.previousTokenEnd),
        };
    }

    /** Only the references the typed prefix matches (Langium drops the others after building them), at most {@link MAX_REFERENCE_ITEMS}. */
    protected override getReferenceCandidates(
        refInfo: ReferenceInfo,
        context: CompletionContext,
    ): Stream<AstNodeDescription> {
        const typed = context.textDocument.getText().substring(context.tokenOffset, context.offset);
        return super
            .getReferenceCandidates(refInfo, context)
            .filter((candidate) => this.fuzzyMatcher.match(typed, candidate.name))
            .limit(MAX_REFERENCE_ITEMS);
    }
}
