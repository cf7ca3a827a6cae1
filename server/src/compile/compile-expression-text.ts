import { AstUtils, GrammarAST, GrammarUtils, type Grammar } from 'langium';
import type { IToken } from 'chevrotain';
import type { Expr } from '../../../protocol/expression.js';
import type { CompileExpressionResult, OpenExpr } from '../../../protocol/lsp.js';
import { isNumberLiteral, isStringLiteral, type Expression } from '../language/generated/ast.js';
import type { MasServices } from '../language/mas-module.js';
import { compileExpression, type ExpressionNaming } from './compile-expression.js';

/**
 * Debugger conditions and debug-console expressions: text typed at run time, with no document behind it, parsed
 * by the grammar's `Expression` rule (the one grammar of the expression language) and compiled like a rubric
 * criterion. Besides the grammar's references the text may use bare names that the debugger binds to values of
 * the turn (`credit`, `reward`, ...). The grammar has no bare names (a .mas file never has them), so each is
 * replaced, before parsing, by a literal of the same length; the literal's position maps back to the name, and
 * every column stays the one the user typed.
 */

const MAX_LENGTH = 10_000;

/** What a bare name is written as while parsing: a literal of the same length, so columns do not move. */
function placeholder(length: number): string {
    return length >= 2 ? `"${'_'.repeat(length - 2)}"` : '0';
}

/**
 * The keywords of the expression rules (operators, `true`, functions, `task`, `output`, ...), read from the
 * grammar: a word among them is never a bare name. Names of declarations (the datatype rules) and
 * cross-references are not followed, so their keywords (`credit`, `train`, ...) stay usable as names.
 */
function expressionKeywords(grammar: Grammar): Set<string> {
    const keywords = new Set<string>();
    const seen = new Set<string>();
    const visit = (rule: GrammarAST.AbstractRule | undefined): void => {
        if (!rule || seen.has(rule.name) || (GrammarAST.isParserRule(rule) && GrammarUtils.isDataTypeRule(rule)))
            return;
        if (!GrammarAST.isParserRule(rule) && !GrammarAST.isInfixRule(rule)) return;
        seen.add(rule.name);
        for (const node of AstUtils.streamAllContents(rule).filter(
            (n) => !AstUtils.getContainerOfType(n, GrammarAST.isCrossReference),
        )) {
            if (GrammarAST.isKeyword(node)) keywords.add(node.value);
            else if (GrammarAST.isRuleCall(node)) visit(node.rule.ref);
        }
    };
    visit(grammar.rules.find((rule) => rule.name === 'Expression'));
    return keywords;
}

/** Finds the bare names: a word that is neither part of `a.b` nor a call, and not a keyword of the expression rules. */
function bareNames(tokens: readonly IToken[], keywords: ReadonlySet<string>): IToken[] {
    return tokens.filter(
        (token, i) =>
            /^[_a-zA-Z]\w*$/.test(token.image) &&
            !keywords.has(token.image) &&
            tokens[i - 1]?.image !== '.' &&
            tokens[i + 1]?.image !== '.' &&
            tokens[i + 1]?.image !== '(',
    );
}

function syntaxError(
    error: { name: string; message: string; token: IToken },
    text: string,
    names: ReadonlyMap<number, string>,
): CompileExpressionResult {
    const { token } = error;
    if (token.image === '' || Number.isNaN(token.startOffset)) {
        const expected =
            error.name === 'MismatchedTokenException'
                ? // Langium's wording, or the .mas wording for missing brackets (parser/mas-parser-messages.ts).
                  /^(?:Expecting token of type '|Missing `)(.+?)['`]/.exec(error.message)?.[1]
                : undefined;
        return {
            error: `the expression ends where ${expected ? `'${expected}'` : 'a value'} is expected`,
            column: text.length,
        };
    }
    const written = names.get(token.startOffset) ?? token.image;
    if (error.name === 'NotAllInputParsedException')
        return { error: `unexpected '${written}' after a complete expression`, column: token.startOffset };
    if (error.name === 'MismatchedTokenException' && !names.has(token.startOffset))
        return { error: error.message, column: token.startOffset };
    return { error: `unexpected '${written}' where a value is expected`, column: token.startOffset };
}

/** Compiles `text`; `names` are the bare names the caller will bind (compiled to `{ op: 'name' }`). */
export function compileExpressionText(
    text: string,
    names: readonly string[],
    services: MasServices,
): CompileExpressionResult {
    if (text.length > MAX_LENGTH) return { error: 'the expression is longer than 10 000 characters', column: 0 };
    const lexed = services.parser.Lexer.tokenize(text);
    const lexError = lexed.errors[0];
    if (lexError) {
        const at = lexError.offset ?? 0;
        // Chevrotain's own message names offsets and skipped characters; the nesting guard's says what to do.
        if (!lexError.message.startsWith('unexpected character')) return { error: lexError.message, column: at };
        return {
            error: text[at] === '"' ? 'unterminated string; close it with "' : `unexpected character '${text[at]}'`,
            column: at,
        };
    }
    const bound = new Set(names);
    const bare = bareNames(lexed.tokens, expressionKeywords(services.Grammar));
    const unknown = bare.find((token) => !bound.has(token.image));
    if (unknown) {
        const known = ['output', 'agent', 'turn', ...names, 'task.<field>', '<agent>.output'];
        return {
            error: `unknown name '${unknown.image}'; use one of ${known.join(', ')}`,
            column: unknown.startOffset,
        };
    }
    const byOffset = new Map(bare.map((token) => [token.startOffset, token.image]));
    let source = text;
    for (const token of bare) {
        source =
            source.slice(0, token.startOffset) +
            placeholder(token.image.length) +
            source.slice(token.startOffset + token.image.length);
    }
    const parsed = services.parser.LangiumParser.parse<Expression>(source, { rule: 'Expression' });
    const parseError = parsed.parserErrors[0];
    if (parseError) return syntaxError(parseError, text, byOffset);
    const naming: ExpressionNaming = {
        reference: (ref) => ref.$refText,
        leaf: (node) => {
            if (!isStringLiteral(node) && !isNumberLiteral(node)) return undefined; // `credit < 0` starts where `credit` does
            const name = byOffset.get(node.$cstNode?.offset ?? -1);
            return name === undefined ? undefined : ({ op: 'name', name } as OpenExpr as Expr);
        },
    };
    return { expr: compileExpression(parsed.value, naming) };
}
