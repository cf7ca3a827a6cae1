import {
    AstUtils,
    CstUtils,
    type AstNode,
    type LangiumDocument,
    type LangiumDocuments,
    type MaybePromise,
} from 'langium';
import type { CodeActionProvider } from 'langium/lsp';
import {
    CodeActionKind,
    type CodeAction,
    type CodeActionParams,
    type Command,
    type Diagnostic,
    type TextEdit,
    type WorkspaceEdit,
} from 'vscode-languageserver';
import { isBinaryExpression, isTaskFieldRef, type Dataset, type TaskFieldRef } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import { datasetsInScope } from '../scope/workflow-queries.js';
import { inferExpressionType } from '../typing/expression-types.js';
import { isMasDiagnosticData, type FixEdit, type QuickFix } from '../validation/diagnostic-data.js';
import { IssueCodes } from '../validation/issue-codes.js';
import type { LinkingErrorData } from '../validation/mas-document-validator.js';

function isLinkingErrorData(data: unknown): data is LinkingErrorData {
    return (
        isMasDiagnosticData(data) &&
        data.code === IssueCodes.LinkingError &&
        typeof (data as Partial<LinkingErrorData>).refText === 'string'
    );
}

/**
 * Quick fixes, keyed on the issue codes of validation/issue-codes.ts. Most checks compute their fixes
 * while they still hold the AST (they travel in `diagnostic.data.fixes`); unresolved references are
 * reported by Langium's linker, so the fixes for those ("create role X", "declare field f") are built here.
 */
export class MasCodeActionProvider implements CodeActionProvider {
    private readonly documents: LangiumDocuments;

    constructor(services: MasServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    getCodeActions(
        document: LangiumDocument,
        params: CodeActionParams,
    ): MaybePromise<Array<Command | CodeAction> | undefined> {
        const actions: CodeAction[] = [];
        for (const diagnostic of params.context.diagnostics) {
            const data: unknown = diagnostic.data;
            if (isLinkingErrorData(data)) {
                actions.push(...this.linkingFixes(document, diagnostic, data));
            } else if (isMasDiagnosticData(data)) {
                actions.push(
                    ...(data.fixes ?? []).map((fix) => toCodeAction(fix, diagnostic, document.textDocument.uri)),
                );
            }
        }
        return actions.length > 0 ? actions : undefined;
    }

    private linkingFixes(document: LangiumDocument, diagnostic: Diagnostic, data: LinkingErrorData): CodeAction[] {
        const uri = document.textDocument.uri;
        const rename = data.suggestion ? [toCodeAction(renameFix(diagnostic, data.suggestion), diagnostic, uri)] : [];
        return [...rename, ...this.declarationFixes(document, diagnostic, data, rename.length === 0)];
    }

    /** "Create role X", "declare field f": preferred only when no near name suggests a typo. */
    private declarationFixes(
        document: LangiumDocument,
        diagnostic: Diagnostic,
        data: LinkingErrorData,
        preferred: boolean,
    ): CodeAction[] {
        const withPreference = (fix: QuickFix): QuickFix => ({ ...fix, preferred });
        if (data.containerType === 'Agent' && data.property === 'role') {
            return [
                toCodeAction(
                    withPreference(createRoleFix(document, data.refText)),
                    diagnostic,
                    document.textDocument.uri,
                ),
            ];
        }
        if (data.containerType === 'TaskFieldRef' && data.property === 'field') {
            const ref = nodeAt(document, diagnostic, isTaskFieldRef);
            if (!ref) return [];
            const type = impliedFieldType(ref);
            return datasetsInScope(ref, this.documents)
                .map((dataset) => declareFieldFix(dataset, data.refText, type))
                .filter((fix): fix is QuickFix => fix !== undefined)
                .map(withPreference)
                .map((fix) => toCodeAction(fix, diagnostic, document.textDocument.uri));
        }
        return [];
    }
}

/** "Change to 'solver'": replaces the unresolved name (the diagnostic's range) with the closest one in scope. */
function renameFix(diagnostic: Diagnostic, suggestion: string): QuickFix {
    return {
        title: `Change to '${suggestion}'`,
        edits: [{ range: diagnostic.range, newText: suggestion }],
        preferred: true,
    };
}

/** "Create role X": appends `role X "..."` to the end of the file. */
function createRoleFix(document: LangiumDocument, name: string): QuickFix {
    const text = document.textDocument.getText();
    const end = document.textDocument.positionAt(text.length);
    const separator = text.length === 0 || text.endsWith('\n') ? '' : '\n';
    return {
        title: `Create the role '${name}'`,
        edits: [{ range: { start: end, end }, newText: `${separator}\nrole ${name} "Describe what a ${name} does"\n` }],
        preferred: true,
    };
}

/** "Declare field f in dataset D": adds `f: <type>` after the dataset's last field (or after its `{`). */
function declareFieldFix(dataset: Dataset, field: string, type: string): QuickFix | undefined {
    const uri = AstUtils.getDocument(dataset).uri.toString();
    const lastField = dataset.fields[dataset.fields.length - 1]?.$cstNode;
    const open = dataset.$cstNode
        ? CstUtils.streamCst(dataset.$cstNode).find((node) => node.text === '{' && node.astNode === dataset)
        : undefined;
    const anchor = lastField?.range.end ?? open?.range.end;
    if (!anchor) return undefined;
    return {
        title: `Declare the field '${field}' in the dataset '${dataset.name}'`,
        edits: [
            {
                uri,
                range: { start: anchor, end: anchor },
                newText: lastField ? `  ${field}: ${type}` : ` ${field}: ${type}`,
            },
        ],
        preferred: true,
    };
}

/** `string`, unless the reference is compared with a number or a bool (`task.answer == 42` suggests `number`). */
function impliedFieldType(ref: TaskFieldRef): string {
    const parent = ref.$container;
    if (
        isBinaryExpression(parent) &&
        ['==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%'].includes(parent.operator)
    ) {
        const other = parent.left === ref ? parent.right : parent.left;
        const type = inferExpressionType(other);
        if (type === 'number' || type === 'bool') return type;
    }
    return 'string';
}

/** The innermost node of the wanted type at the start of the diagnostic's range. */
function nodeAt<T extends AstNode>(
    document: LangiumDocument,
    diagnostic: Diagnostic,
    is: (node: unknown) => node is T,
): T | undefined {
    const root = document.parseResult.value.$cstNode;
    if (!root) return undefined;
    const leaf = CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(diagnostic.range.start));
    return leaf ? AstUtils.getContainerOfType(leaf.astNode, is) : undefined;
}

function toCodeAction(fix: QuickFix, diagnostic: Diagnostic, defaultUri: string): CodeAction {
    const changes: Record<string, TextEdit[]> = {};
    for (const edit of fix.edits as FixEdit[]) {
        const uri = edit.uri ?? defaultUri;
        (changes[uri] ??= []).push({ range: edit.range, newText: edit.newText });
    }
    return {
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(fix.preferred ? { isPreferred: true } : {}),
        ...(fix.command ? { command: fix.command } : {}),
        edit: workspaceEdit(changes, fix.createFiles ?? []),
    };
}

/** Text edits as `changes`; with files to create, everything as ordered `documentChanges` (creates first). */
function workspaceEdit(changes: Record<string, TextEdit[]>, createFiles: string[]): WorkspaceEdit {
    if (createFiles.length === 0) return { changes };
    return {
        documentChanges: [
            ...createFiles.map((uri) => ({
                kind: 'create' as const,
                uri,
                options: { overwrite: false, ignoreIfExists: true },
            })),
            ...Object.entries(changes).map(([uri, edits]) => ({ textDocument: { uri, version: null }, edits })),
        ],
    };
}
