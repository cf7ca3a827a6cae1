import { AstUtils, isCompositeCstNode, type AstNode, type CstNode } from 'langium';
import { AbstractSemanticTokenProvider, type SemanticTokenAcceptor } from 'langium/lsp';
import { SemanticTokenModifiers, SemanticTokenTypes } from 'vscode-languageserver';
import * as ast from '../generated/ast.js';
import { findMethod } from '../catalog/parameters.js';
import { isBuiltinVerifier } from '../scope/builtin-verifiers.js';
import { methodsForSetting, settingInfo } from './catalog-docs.js';

const DECLARATION = SemanticTokenModifiers.declaration;
const BUILT_IN = [SemanticTokenModifiers.defaultLibrary, SemanticTokenModifiers.readonly];

/** The token type of each kind of declaration, used alike for the declaration and its references. */
const DECLARATION_TYPES: Record<string, SemanticTokenTypes> = {
    [ast.Dataset.$type]: SemanticTokenTypes.struct,
    [ast.DatasetField.$type]: SemanticTokenTypes.property,
    [ast.Model.$type]: SemanticTokenTypes.class,
    [ast.Role.$type]: SemanticTokenTypes.interface,
    [ast.Agent.$type]: SemanticTokenTypes.variable,
    [ast.Rubric.$type]: SemanticTokenTypes.function,
    [ast.Criterion.$type]: SemanticTokenTypes.property,
    [ast.Reward.$type]: SemanticTokenTypes.event,
    [ast.Verifier.$type]: SemanticTokenTypes.function,
    [ast.VerifierParam.$type]: SemanticTokenTypes.parameter,
};

/**
 * Semantic colouring on top of the TextMate grammar: declarations and references by kind (agents,
 * roles, models, rubrics, datasets, fields), the holes of prompt templates (the `{{`/`}}`
 * delimiters as operators, the references inside as variables and properties, while the text
 * pieces stay strings), catalogue words (credit methods and algorithms as keywords, call
 * arguments as parameters) and regex literals.
 */
export class MasSemanticTokenProvider extends AbstractSemanticTokenProvider {
    protected highlightElement(node: AstNode, acceptor: SemanticTokenAcceptor): void | 'prune' | undefined {
        const declarationType = DECLARATION_TYPES[node.$type];
        if (declarationType) {
            acceptor({ node, property: 'name', type: declarationType, modifier: DECLARATION });
        }
        if (ast.isMasFile(node) && node.workflow) {
            acceptor({ node, property: 'workflow', type: SemanticTokenTypes.namespace, modifier: DECLARATION });
        } else if (ast.isAgent(node)) {
            acceptor({ node, property: 'role', type: SemanticTokenTypes.interface });
        } else if (ast.isModelBinding(node)) {
            acceptor({ node, property: 'model', type: SemanticTokenTypes.class });
        } else if (ast.isAgentNode(node)) {
            acceptor({ node, property: 'agent', type: SemanticTokenTypes.variable });
        } else if (ast.isOutputRef(node)) {
            acceptor({ node, property: 'agent', type: SemanticTokenTypes.variable });
            acceptor({ node, keyword: 'output', type: SemanticTokenTypes.property, modifier: BUILT_IN });
        } else if (ast.isTaskFieldRef(node)) {
            acceptor({ node, keyword: 'task', type: SemanticTokenTypes.variable, modifier: BUILT_IN });
            acceptor({ node, property: 'field', type: SemanticTokenTypes.property });
        } else if (ast.isContextRef(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.variable, modifier: BUILT_IN });
        } else if (ast.isReward(node)) {
            acceptor({ node, property: 'rubric', type: SemanticTokenTypes.function });
        } else if (ast.isVerifierCall(node)) {
            const builtin = node.verifier?.ref && isBuiltinVerifier(node.verifier.ref);
            acceptor({
                node,
                property: 'verifier',
                type: SemanticTokenTypes.function,
                modifier: builtin ? BUILT_IN : [],
            });
        } else if (ast.isTrain(node)) {
            acceptor({ node, property: 'dataset', type: SemanticTokenTypes.struct });
            acceptor({ node, property: 'critic', type: SemanticTokenTypes.class });
        } else if (ast.isTemplate(node)) {
            this.highlightTemplateDelimiters(node, acceptor);
        } else if (ast.isMethodCall(node)) {
            this.highlightSettingValue(node, acceptor);
        } else if (ast.isNamedArg(node)) {
            acceptor({ node, property: 'name', type: SemanticTokenTypes.parameter });
        } else if (ast.isIdValue(node)) {
            acceptor({ node, property: 'value', type: SemanticTokenTypes.enumMember });
        } else if (ast.isRegexLiteral(node)) {
            acceptor({ node, property: 'value', type: SemanticTokenTypes.regexp });
        }
    }

    /** `{{` at the end of a start/middle piece and `}}` at the start of a middle/end piece. */
    protected highlightTemplateDelimiters(template: ast.Template, acceptor: SemanticTokenAcceptor): void {
        for (const piece of templatePieces(template)) {
            const text = piece.text;
            if (text.startsWith('}}')) {
                acceptor({ range: rangeOf(piece, 0, 2), type: SemanticTokenTypes.operator });
            }
            if (text.endsWith('{{')) {
                acceptor({ range: rangeOf(piece, text.length - 2, text.length), type: SemanticTokenTypes.operator });
            }
        }
    }

    /** Known credit methods and algorithms read as keywords; `cuda`, `all` as enum members. */
    protected highlightSettingValue(call: ast.MethodCall, acceptor: SemanticTokenAcceptor): void {
        const setting = AstUtils.getContainerOfType(call, ast.isTrainSetting);
        if (!setting || setting.value !== call) {
            return;
        }
        if (findMethod(methodsForSetting(setting.key), call.name)) {
            acceptor({ node: call, property: 'name', type: SemanticTokenTypes.keyword });
        } else if (settingInfo(setting.key)?.values?.includes(call.name)) {
            acceptor({ node: call, property: 'name', type: SemanticTokenTypes.enumMember });
        }
    }
}

/** The text pieces of a template (a plain string, or the start, middle and end pieces around holes). */
function templatePieces(template: ast.Template): CstNode[] {
    const cst = template.$cstNode;
    if (!cst) {
        return [];
    }
    const holes = new Set(template.holes.map((hole) => hole.$cstNode).filter(Boolean));
    const children = isCompositeCstNode(cst) ? cst.content : [cst];
    return children.filter((child) => !holes.has(child) && !child.hidden);
}

/** The range of characters [from, to) of a single-line piece boundary (`{{` / `}}` never span lines). */
function rangeOf(piece: CstNode, from: number, to: number) {
    const before = piece.text.substring(0, from);
    const lineBreaks = before.split(/\r\n|\r|\n/);
    const line = piece.range.start.line + lineBreaks.length - 1;
    const startChar = lineBreaks.length === 1 ? piece.range.start.character + from : lineBreaks.at(-1)!.length;
    return { start: { line, character: startChar }, end: { line, character: startChar + (to - from) } };
}
