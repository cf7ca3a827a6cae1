import { DefaultLexerErrorMessageProvider, LangiumParserErrorMessageProvider } from 'langium';
import type { IToken, TokenType } from 'chevrotain';

/** Closing brackets the parser may be missing, and the bracket each one closes. */
const CLOSERS: Record<string, string> = { '}': '{', ')': '(', ']': '[' };

/**
 * Parse errors that say what to add and where, for the mistakes people make while writing: an
 * unclosed `{{` hole in a prompt and a missing closing bracket. Other errors keep Langium's wording,
 * which names the grammar's tokens.
 */
export class MasParserErrorMessageProvider extends LangiumParserErrorMessageProvider {
    override buildMismatchTokenMessage(options: {
        expected: TokenType;
        actual: IToken;
        previous: IToken;
        ruleName: string;
    }): string {
        const { expected, actual, previous } = options;
        const after = describeAfter(previous);
        if (expected.name === 'TEMPLATE_END' || expected.name === 'TEMPLATE_MIDDLE') {
            return `A \`{{\` in this prompt is not closed: add \`}}\`${after}, before the closing quote.`;
        }
        const closed = CLOSERS[expected.name];
        if (closed) {
            const found = isEndOfFile(actual) ? 'the end of the file' : `\`${actual.image}\``;
            return `Missing \`${expected.name}\`: add it${after} to close its \`${closed}\` (found ${found} instead).`;
        }
        return super.buildMismatchTokenMessage(options);
    }
}

/** " after `question` on line 14", or nothing when the error has no token before it. */
function describeAfter(previous: IToken | undefined): string {
    if (!previous || !previous.image || Number.isNaN(previous.startOffset)) return '';
    const line = previous.endLine ?? previous.startLine;
    return ` after \`${previous.image}\`${line !== undefined && !Number.isNaN(line) ? ` on line ${line}` : ''}`;
}

function isEndOfFile(token: IToken): boolean {
    return token.tokenType?.name === 'EOF' || token.image === '';
}

/**
 * A lone `"` is what the lexer sees of an unclosed string, and of the closing quote of a prompt whose
 * last `{{` hole is not closed: say both. Other characters keep Chevrotain's wording, whose
 * "unexpected character" prefix the expression compiler (compile/compile-expression-text.ts) relies on.
 */
export class MasLexerErrorMessageProvider extends DefaultLexerErrorMessageProvider {
    override buildUnexpectedCharactersMessage(
        fullText: string,
        startOffset: number,
        length: number,
        line?: number,
        column?: number,
    ): string {
        if (fullText[startOffset] === '"') {
            return 'unexpected character `"`: this quote has no partner; close the string it starts, or, if it ends a prompt, close the prompt\'s last `{{` hole with `}}`.';
        }
        return super.buildUnexpectedCharactersMessage(fullText, startOffset, length, line, column);
    }
}
