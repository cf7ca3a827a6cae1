import { CstUtils, GrammarAST, isCompositeCstNode, type AstNode, type CstNode, type LangiumDocument } from 'langium';
import type { FormattingOptions, Range, TextEdit } from 'vscode-languageserver';
import { AbstractFormatter, Formatting, type FormattingRegion, type NodeFormatter } from 'langium/lsp';
import * as ast from '../generated/ast.js';

/** Up to one blank line is kept between declarations, so related one-liners stay grouped. */
const BETWEEN_DECLARATIONS = Formatting.fit(Formatting.newLine(), Formatting.newLines(2));
const ONE = Formatting.oneSpace();
const NONE = Formatting.noSpace();

/** The keywords that start a member inside the braces of agents, models and train blocks. */
const MEMBER_KEYWORDS: Record<string, string[]> = {
    [ast.Agent.$type]: ['model', 'prompt', 'system', 'max_tokens', 'temperature', 'top_p', 'top_k', 'stop', 'null'],
    [ast.Model.$type]: ['from', 'adapter', 'format', 'dtype', 'attention', 'gradient_checkpointing'],
    [ast.Train.$type]: ['dataset', 'critic'],
    [ast.JudgeBody.$type]: ['model', 'prompt', 'scale', 'max_tokens', 'temperature'],
};

/**
 * The canonical layout of a .mas file: one declaration per line (blank lines between them kept,
 * at most one), `: ` after a colon and nothing before it, one space around `->` and binary
 * operators, 2-space indentation inside braces with one member per line (graph chains, criteria,
 * train settings). Dataset, model and agent blocks written on one line stay on one line with
 * members two spaces apart, as in DESIGN.md.
 *
 * Only the whitespace between tokens changes, and only with `prepend` (two formattings of one
 * gap could otherwise both insert a space). String, template and regex tokens are single tokens
 * and never touched; the holes of templates are left as written; comments keep their place.
 */
export class MasFormatter extends AbstractFormatter {
    /** The layout is canonical: 2-space indentation whatever the editor's tab settings. */
    protected override doDocumentFormat(
        document: LangiumDocument,
        options: FormattingOptions,
        range?: Range,
    ): TextEdit[] {
        return super.doDocumentFormat(document, { ...options, insertSpaces: true, tabSize: 2 }, range);
    }

    protected format(node: AstNode): void {
        if (ast.isTemplate(node.$container)) {
            return;
        }
        const f = this.getNodeFormatter(node);
        if (ast.isMasFile(node)) {
            this.formatFile(node, f);
            return;
        }
        this.formatBlockOf(node, f);
        this.formatTokens(node, f);
    }

    protected formatFile(file: ast.MasFile, f: NodeFormatter<ast.MasFile>): void {
        const first = isCompositeCstNode(file.$cstNode) ? file.$cstNode.content[0] : undefined;
        const statements = [
            ...f.keywords('workflow').nodes,
            ...f.properties('imports').nodes,
            ...f.properties('elements').nodes,
        ];
        f.cst(statements.filter((node) => node !== first)).prepend(BETWEEN_DECLARATIONS);
        f.property('workflow').prepend(ONE);
    }

    /** Braces and members of the block declarations. */
    protected formatBlockOf(node: AstNode, f: NodeFormatter<AstNode>): void {
        if (ast.isDataset(node)) {
            this.formatBlock(f, f.properties('fields'), isWrittenOnOneLine(node));
        } else if (ast.isModel(node) || ast.isAgent(node)) {
            this.formatBlock(f, f.keywords(...MEMBER_KEYWORDS[node.$type]!), isWrittenOnOneLine(node));
        } else if (ast.isGraph(node)) {
            this.formatBlock(f, f.properties('statements'), isEmptyOneLiner(node, node.statements));
        } else if (ast.isRubric(node)) {
            this.formatBlock(f, f.properties('criteria'), isEmptyOneLiner(node, node.criteria));
        } else if (ast.isJudgeBody(node)) {
            this.formatBlock(f, f.keywords(...MEMBER_KEYWORDS[node.$type]!), isWrittenOnOneLine(node));
        } else if (ast.isTrain(node)) {
            const members = f.cst([
                ...f.keywords(...MEMBER_KEYWORDS[node.$type]!).nodes,
                ...f.properties('settings', 'stopWhen').nodes,
            ]);
            this.formatBlock(f, members, isEmptyOneLiner(node, members.nodes));
        }
    }

    /**
     * Expanded: every node between the braces goes on its own indented line (so comments on
     * their own line are indented too); `formatTokens` then pulls the rest of each member back
     * onto its line. Inline: `{ a  b }`.
     */
    protected formatBlock(f: NodeFormatter<AstNode>, members: FormattingRegion, inline: boolean): void {
        const open = f.keyword('{');
        const close = f.keyword('}');
        open.prepend(ONE);
        if (inline) {
            members.prepend(Formatting.spaces(2));
            members.slice(0, 1).prepend(ONE);
            close.prepend(ONE);
        } else {
            f.interior(open, close).prepend(Formatting.indent());
            close.prepend(Formatting.newLine());
        }
    }

    /** Spacing between the tokens of a member, a header or an expression. */
    protected formatTokens(node: AstNode, f: NodeFormatter<AstNode>): void {
        const colons = f.keywords(':');
        colons.prepend(NONE);
        f.cst(colons.nodes.flatMap(nextToken)).prepend(ONE);
        f.keywords(',').prepend(NONE);
        // a name that starts its node (`rank: 8`, `question: string`) is placed by what comes before
        const named = f.properties('name', 'path', 'description', 'id', 'type').nodes;
        f.cst(named.filter((token) => token.offset !== node.$cstNode?.offset)).prepend(ONE);
        if (
            ast.isMethodCall(node) ||
            ast.isScratchSource(node) ||
            ast.isAdapter(node) ||
            ast.isCallExpression(node) ||
            ast.isVerifierCall(node) ||
            ast.isVerifier(node) ||
            ast.isListValue(node)
        ) {
            f.keywords('(', ')', ']').prepend(NONE);
            f.cst(f.keywords('(', '[', ',').nodes.flatMap(nextToken)).prepend(NONE);
            f.cst(f.keywords(',').nodes.flatMap(nextToken)).prepend(ONE);
        } else if (ast.isExpression(node)) {
            // parentheses around a sub-expression hug it
            f.keyword(')').prepend(NONE);
            f.cst(f.keywords('(').nodes.flatMap(nextToken)).prepend(NONE);
        }
        if (ast.isEdgeChain(node)) {
            f.keywords('->', 'when', 'max').prepend(ONE);
            f.properties('nodes', 'condition', 'max').slice(1).prepend(ONE);
        } else if (ast.isCriterion(node)) {
            f.keyword('weight').prepend(ONE);
            f.property('weight').prepend(ONE);
        } else if (ast.isJudgeBody(node)) {
            f.keyword('..').prepend(NONE); // `scale: 1..10`
            f.property('high').prepend(NONE);
        } else if (ast.isBinaryExpression(node)) {
            f.property('operator').prepend(ONE);
            f.property('right').prepend(ONE);
            const operators = infixOperatorTokens(node);
            f.cst(operators).prepend(ONE);
            f.cst(operators.flatMap(nextToken)).prepend(ONE);
        } else if (ast.isUnaryExpression(node)) {
            f.property('operand').prepend(node.operator === 'not' ? ONE : NONE);
        } else if (ast.isTaskFieldRef(node) || ast.isOutputRef(node)) {
            f.keyword('.').prepend(NONE);
            f.cst(f.keywords('.').nodes.flatMap(nextToken)).prepend(NONE);
        } else if (ast.isModelBinding(node)) {
            f.property('separate').prepend(ONE);
            f.keyword('separate').prepend(ONE);
            f.keyword('frozen').prepend(ONE);
        } else if (ast.isDataset(node)) {
            f.keyword('from').prepend(ONE);
        } else if (ast.isReward(node)) {
            f.keyword('per').prepend(ONE);
            f.property('level').prepend(ONE);
        } else if (ast.isVerifier(node)) {
            // `verifier equal(got: string) -> bool from "v.py" function math_equal`
            f.keywords('->', 'from', 'function').prepend(ONE);
            f.properties('returns', 'file', 'function').prepend(ONE);
        } else if (ast.isStopWhen(node)) {
            // `stop_when: success >= 0.99 for 10 steps`, one space between the words
            f.properties('op', 'threshold', 'steps').prepend(ONE);
            f.keywords('for', 'steps').prepend(ONE);
        }
    }
}

/**
 * The operator tokens of an `infix` rule's chain (`a + b * c`). Langium gives every binary node of such a
 * chain the chain's CST node and assigns those tokens to no `operator` property, so `property('operator')`
 * finds nothing. The outermost node of a chain collects them all (nested chains again: the formatter keeps
 * one formatting per token, so that is harmless).
 */
function infixOperatorTokens(node: ast.BinaryExpression): CstNode[] {
    const cst = node.$cstNode;
    const parent = node.$container;
    if (!cst || (ast.isBinaryExpression(parent) && parent.$cstNode === cst)) return [];
    return CstUtils.streamCst(cst)
        .filter(
            (child) =>
                !isCompositeCstNode(child) &&
                GrammarAST.isAssignment(child.grammarSource) &&
                child.grammarSource.feature === 'operators',
        )
        .toArray();
}

/** The node that follows a token in its parent (comments skipped): the gap to fill is before it. */
function nextToken(node: CstNode): CstNode[] {
    const next = CstUtils.getNextNode(node, false);
    return next ? [next] : [];
}

/** True when the block is written on a single line of the current text. */
function isWrittenOnOneLine(node: AstNode): boolean {
    const range = node.$cstNode?.range;
    return range !== undefined && range.start.line === range.end.line;
}

/** Graph, rubric and train blocks stay on one line only while they are empty: `graph { }`. */
function isEmptyOneLiner(node: AstNode, members: readonly unknown[]): boolean {
    return members.length === 0 && isWrittenOnOneLine(node);
}
