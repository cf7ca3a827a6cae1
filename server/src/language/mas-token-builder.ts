import { DefaultTokenBuilder, type Grammar, type GrammarAST, type TokenBuilderOptions } from 'langium';
import type { CustomPatternMatcherFunc, IToken, TokenType, TokenVocabulary } from 'chevrotain';

/** Terminals matched by hand-written sticky matchers, with the characters they can start with. */
const CUSTOM_TERMINALS: Record<string, string[]> = {
    TEMPLATE_START: ['"'],
    TEMPLATE_MIDDLE: ['}'],
    TEMPLATE_END: ['}'],
    REGEX: ['/'],
    STRING: ['"'],
};

/** Tokens after which a `/` is a division, not the start of a regex literal (as in JavaScript). */
const OPERAND_TOKENS = new Set([
    'ID',
    'NUMBER',
    'STRING',
    'TEMPLATE_END',
    'REGEX',
    ')',
    ']',
    'output',
    'true',
    'false',
    'agent',
    'turn',
]);

/**
 * Orders the template pieces and the regex literal before the punctuation keywords (`}` would
 * otherwise win over `}}...`, `/` over `/re/`), and gives each of them a matcher with a start-char
 * hint so that Chevrotain keeps its first-character optimisation (lookaheads would disable it).
 */
export class MasTokenBuilder extends DefaultTokenBuilder {
    override buildTokens(grammar: Grammar, options?: TokenBuilderOptions): TokenVocabulary {
        const tokens = super.buildTokens(grammar, options) as TokenType[];
        const front = tokens.filter((t) => t.name in CUSTOM_TERMINALS && t.name !== 'STRING');
        return [...front, ...tokens.filter((t) => !front.includes(t))];
    }

    protected override buildTerminalToken(terminal: GrammarAST.TerminalRule): TokenType {
        const token = super.buildTerminalToken(terminal);
        const hint = CUSTOM_TERMINALS[terminal.name];
        if (!hint) {
            return token;
        }
        const source = token.PATTERN instanceof RegExp ? token.PATTERN : undefined;
        if (!source) {
            return token;
        }
        const sticky = new RegExp(source.source, source.flags.replace('y', '') + 'y');
        const matcher: CustomPatternMatcherFunc =
            terminal.name === 'REGEX'
                ? (text, offset, matched) => (followsOperand(matched as IToken[]) ? null : execAt(sticky, text, offset))
                : (text, offset) => execAt(sticky, text, offset);
        return { ...token, PATTERN: { exec: matcher }, START_CHARS_HINT: hint, LINE_BREAKS: terminal.name !== 'REGEX' };
    }
}

function execAt(regex: RegExp, text: string, offset: number): RegExpExecArray | null {
    regex.lastIndex = offset;
    return regex.exec(text);
}

function followsOperand(matched: IToken[]): boolean {
    const previous = matched[matched.length - 1];
    return previous !== undefined && OPERAND_TOKENS.has(previous.tokenType.name);
}
