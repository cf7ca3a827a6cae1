import { AstUtils, CstUtils, GrammarAST, type Grammar, type LangiumDocument } from 'langium';
import { DefaultRenameProvider } from 'langium/lsp';
import {
    ErrorCodes,
    ResponseError,
    type CancellationToken,
    type RenameParams,
    type WorkspaceEdit,
} from 'vscode-languageserver';
import type { MasServices } from '../mas-module.js';
import { isVerifier } from '../generated/ast.js';
import { isBuiltinVerifier } from '../scope/builtin-verifiers.js';

const IDENTIFIER = /^[_a-zA-Z]\w*$/;

/**
 * Rename (declarations and every reference, template holes included, come from Langium) that
 * refuses a new name the parser would not read back as a name — `two words`, `3x`, or a keyword
 * such as `graph` — instead of silently breaking every place it is written. The error message is
 * shown by the editor.
 */
export class MasRenameProvider extends DefaultRenameProvider {
    /** Keywords a name may still be (`dataset train`, `agent critic`): those of the `Name` rule. */
    private readonly nameKeywords: Set<string>;
    /** Every word-like keyword of the grammar. */
    private readonly allKeywords: Set<string>;

    constructor(services: MasServices) {
        super(services);
        this.nameKeywords = keywordsOfRule(services.Grammar, 'Name');
        this.allKeywords = new Set(
            AstUtils.streamAllContents(services.Grammar)
                .filter(GrammarAST.isKeyword)
                .map((keyword) => keyword.value)
                .filter((value) => IDENTIFIER.test(value)),
        );
    }

    override async rename(
        document: LangiumDocument,
        params: RenameParams,
        cancelToken?: CancellationToken,
    ): Promise<WorkspaceEdit | undefined> {
        const problem = this.nameProblem(params.newName);
        if (problem) {
            throw new ResponseError(ErrorCodes.InvalidParams, problem);
        }
        const builtin = this.builtinAt(document, params);
        if (builtin) {
            throw new ResponseError(
                ErrorCodes.InvalidParams,
                `'${builtin}' is a built-in verifier of the trainer's library and cannot be renamed; declare your own \`verifier\` to call a Python function by another name.`,
            );
        }
        return super.rename(document, params, cancelToken);
    }

    /** The name of the built-in verifier under the cursor, if that is what it names. */
    private builtinAt(document: LangiumDocument, params: RenameParams): string | undefined {
        const root = document.parseResult.value.$cstNode;
        if (!root) return undefined;
        const offset = document.textDocument.offsetAt(params.position);
        const leaf = CstUtils.findDeclarationNodeAtOffset(root, offset, this.grammarConfig.nameRegexp);
        const builtin = leaf && this.references.findDeclarations(leaf).find(isBuiltinVerifier);
        return builtin && isVerifier(builtin) ? builtin.name : undefined;
    }

    /** Why `name` cannot be used as a name, or undefined when it can. */
    nameProblem(name: string): string | undefined {
        if (!IDENTIFIER.test(name)) {
            return `'${name}' is not a valid name: use letters, digits and '_', starting with a letter or '_'.`;
        }
        if (this.allKeywords.has(name) && !this.nameKeywords.has(name)) {
            return `'${name}' is a keyword of the .mas language and cannot be a name; choose another name.`;
        }
        return undefined;
    }
}

/** The keywords a datatype rule accepts directly or through the rules it calls. */
function keywordsOfRule(grammar: Grammar, ruleName: string): Set<string> {
    const keywords = new Set<string>();
    const visited = new Set<string>();
    const visit = (name: string): void => {
        const rule = grammar.rules.find((candidate) => candidate.name === name);
        if (!rule || visited.has(name)) {
            return;
        }
        visited.add(name);
        for (const element of AstUtils.streamAllContents(rule)) {
            if (GrammarAST.isKeyword(element)) {
                keywords.add(element.value);
            } else if (
                GrammarAST.isRuleCall(element) &&
                element.rule.ref &&
                GrammarAST.isParserRule(element.rule.ref)
            ) {
                visit(element.rule.ref.name);
            }
        }
    };
    visit(ruleName);
    return keywords;
}
