import { DefaultLexer, type LexerResult, type TokenizeOptions } from 'langium';
import { findExcessiveNesting, MAX_NESTING_DEPTH } from './nesting-guard.js';

/**
 * The default lexer plus a nesting-depth guard: tokens past the point where brackets or prefix
 * operators nest deeper than {@link MAX_NESTING_DEPTH} are dropped and a lexing error says why,
 * so that the recursive parser (and everything that walks the tree after it) never sees input
 * deep enough to overflow the stack.
 */
export class MasLexer extends DefaultLexer {
    override tokenize(text: string, options?: TokenizeOptions): LexerResult {
        const result = super.tokenize(text, options);
        const tooDeep = findExcessiveNesting(result.tokens);
        if (tooDeep < 0) {
            return result;
        }
        const token = result.tokens[tooDeep]!;
        result.errors.push({
            offset: token.startOffset,
            length: token.image.length,
            line: token.startLine,
            column: token.startColumn,
            message:
                `Nesting deeper than ${MAX_NESTING_DEPTH} levels is not supported; the rest of the file is ignored.` +
                ' Split the expression into smaller criteria or remove the extra brackets.',
        });
        result.tokens = result.tokens.slice(0, tooDeep);
        return result;
    }
}
