import type { AstNode } from 'langium';
import { isMasFile } from '../generated/ast.js';

/**
 * The part of a file that completion at an offset needs to lex and parse: from the start of the
 * last top-level declaration (or import) that begins before the offset, to the start of the first
 * one after it. Langium's completion lexes the whole file and parses everything before the cursor
 * on every request (and up to three times per request), which took over a second in a file of
 * 20 000 declarations.
 *
 * Top-level declarations are independent in the grammar (`elements+=Element*`), so the parser is
 * in the same state at a declaration's first token whether it starts there or at the top of the
 * file; and a declaration's first token is a token boundary for the lexer too.
 */
export interface CompletionWindow {
    start: number;
    end: number;
}

/** The top-level nodes of a parsed file (imports, then declarations: text order), with a CST. */
export function topLevelNodes(root: AstNode | undefined): AstNode[] {
    if (!isMasFile(root)) {
        return [];
    }
    const nodes: AstNode[] = root.imports.length > 0 ? [...root.imports, ...root.elements] : root.elements;
    return nodes.every((node) => node.$cstNode) ? nodes : nodes.filter((node) => node.$cstNode);
}

/**
 * The window around `offset`. It starts strictly before `offset`, so that at least one token
 * before the cursor is parsed: parsing from the cursor itself would offer what may start a file
 * (`workflow`, `import`) rather than what may follow a declaration.
 */
export function completionWindow(nodes: readonly AstNode[], offset: number, textLength: number): CompletionWindow {
    const after = firstStartAbove(nodes, offset - 1);
    const start = after > 0 ? startOf(nodes[after - 1]!) : 0;
    const next = firstStartAbove(nodes, offset);
    return { start, end: next < nodes.length ? startOf(nodes[next]!) : textLength };
}

function startOf(node: AstNode): number {
    return node.$cstNode!.offset;
}

/** Index of the first node starting after `offset` (binary search: a CST offset is not free), `nodes.length` when none does. */
function firstStartAbove(nodes: readonly AstNode[], offset: number): number {
    let low = 0;
    let high = nodes.length;
    while (low < high) {
        const middle = (low + high) >>> 1;
        if (startOf(nodes[middle]!) > offset) {
            high = middle;
        } else {
            low = middle + 1;
        }
    }
    return low;
}
