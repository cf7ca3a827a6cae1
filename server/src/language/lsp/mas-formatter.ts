import type { AstNode } from 'langium';
import { AbstractFormatter } from 'langium/lsp';

/** Formatting of .mas files. (stub) */
export class MasFormatter extends AbstractFormatter {
    protected format(_node: AstNode): void {
        // filled by the editor-features work
    }
}
