import type { AstNode, LangiumDocuments } from 'langium';
import { isDataset, isMasFile, isTrain, type Dataset, type Element } from '../generated/ast.js';
import { masFileOf, visibleDocuments } from './imports.js';

/** Every top-level declaration visible from `node`'s file (its own first, then imported ones). */
export function elementsInScope(node: AstNode, documents: LangiumDocuments): Element[] {
    const file = masFileOf(node);
    if (!file) {
        return [];
    }
    return visibleDocuments(file, documents).flatMap((doc) => {
        const root = doc.parseResult.value;
        return isMasFile(root) ? root.elements : [];
    });
}

/**
 * The data sets `task.<field>` may read: the one named by `train { dataset: ... }` when there is
 * one, otherwise every data set in scope.
 */
export function datasetsInScope(node: AstNode, documents: LangiumDocuments): Dataset[] {
    const elements = elementsInScope(node, documents);
    const chosen = elements
        .filter(isTrain)
        .map((train) => train.dataset?.ref)
        .find(Boolean);
    return chosen ? [chosen] : elements.filter(isDataset);
}
