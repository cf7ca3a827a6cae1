import {
    createParser,
    type CstNodeBuilder,
    LangiumParser,
    type AstNode,
    type LangiumCoreServices,
    type ParseResult,
    type ParserOptions,
} from 'langium';
import { LinearCstNodeBuilder } from './linear-cst-node-builder.js';

/** Private fields of Langium's parser: the AST stack (reset after an aborted parse) and the CST builder. */
interface ParserInternals {
    stack: unknown[];
    nodeBuilder: CstNodeBuilder;
}

/**
 * Last line of defence behind the nesting guard of the lexer: a parse that still overflows the
 * stack returns an empty document with one error instead of throwing. Without this, the
 * exception escapes into the document builder and leaves the shared parser's AST stack dirty,
 * so every later document fails with "Parser stack is not empty after parsing".
 */
export class GuardedLangiumParser extends LangiumParser {
    constructor(services: LangiumCoreServices) {
        super(services);
        (this as unknown as ParserInternals).nodeBuilder = new LinearCstNodeBuilder();
    }

    override parse<T extends AstNode = AstNode>(input: string, options?: ParserOptions): ParseResult<T> {
        // Chevrotain signals every syntax error with an exception whose stack trace nobody reads;
        // capturing 50 000 of them dominated the parse of a badly broken file. Parsing is
        // synchronous, so the limit is restored before any other code runs.
        const stackTraceLimit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return super.parse<T>(input, options);
        } catch (error) {
            if (!(error instanceof RangeError)) {
                throw error;
            }
            (this as unknown as ParserInternals).stack = [];
            const empty = super.parse<T>('', options);
            empty.lexerErrors.push({
                offset: 0,
                length: 0,
                line: 1,
                column: 1,
                message:
                    'This file is nested too deeply to be parsed; remove the extra brackets or split the expression.',
            });
            return empty;
        } finally {
            Error.stackTraceLimit = stackTraceLimit;
        }
    }
}

/** Replaces Langium's `createLangiumParser`: the same construction, with the guarded parser class. */
export function createGuardedLangiumParser(services: LangiumCoreServices): LangiumParser {
    const parser = createParser(services.Grammar, new GuardedLangiumParser(services), services.parser.Lexer.definition);
    parser.finalize();
    return parser;
}
