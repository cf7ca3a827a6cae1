import { AstUtils, UriUtils, type AstNode, type LangiumDocument, type LangiumDocuments } from 'langium';
import type { URI } from 'vscode-uri';
import { isMasFile, type Import, type MasFile } from '../generated/ast.js';

/** A UTF-16 surrogate without its pair: no file can be named by it, and URI encoding throws on it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True when an import path can name a file at all (not empty, no lone surrogate). */
export function isUsableImportPath(path: string | undefined): path is string {
    return !!path?.trim() && !LONE_SURROGATE.test(path);
}

/**
 * The URI an `import "path"` points at, relative to the importing file; `.mas` is added when missing.
 * Undefined when the path cannot name a file (see isUsableImportPath).
 */
export function resolveImportUri(importNode: Import): URI | undefined {
    const path = importNode.path?.trim();
    if (!isUsableImportPath(path)) {
        return undefined;
    }
    const document = AstUtils.getDocument(importNode);
    const withExtension = path.endsWith('.mas') ? path : `${path}.mas`;
    return UriUtils.resolvePath(UriUtils.dirname(document.uri), withExtension);
}

/**
 * The documents whose declarations are visible from `root`: itself and everything it imports,
 * transitively. Import cycles are harmless: each document is visited once.
 */
export function visibleDocuments(root: MasFile, documents: LangiumDocuments): LangiumDocument[] {
    const start = AstUtils.getDocument(root);
    const seen = new Map<string, LangiumDocument>([[start.uri.toString(), start]]);
    const queue: MasFile[] = [root];
    while (queue.length > 0) {
        const file = queue.pop()!;
        for (const imp of file.imports) {
            const uri = resolveImportUri(imp);
            if (!uri || seen.has(uri.toString()) || !documents.hasDocument(uri)) {
                continue;
            }
            const document = documents.getDocument(uri)!;
            seen.set(uri.toString(), document);
            if (isMasFile(document.parseResult.value)) {
                queue.push(document.parseResult.value);
            }
        }
    }
    return [...seen.values()];
}

/** The root `MasFile` of any node. */
export function masFileOf(node: AstNode): MasFile | undefined {
    const root = AstUtils.findRootNode(node);
    return isMasFile(root) ? root : undefined;
}
