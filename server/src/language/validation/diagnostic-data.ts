import type { Range } from 'vscode-languageserver';
import type { IssueCode } from './issue-codes.js';

/** One text replacement of a quick fix; `uri` names another document (an imported file) when set. */
export interface FixEdit {
    range: Range;
    newText: string;
    uri?: string;
}

/** A quick fix computed by the check that found the problem, carried to the code action provider. */
export interface QuickFix {
    title: string;
    edits: FixEdit[];
    /** Files (URIs) the fix creates, empty (a WorkspaceEdit `CreateFile`); never overwrites one that exists. */
    createFiles?: string[];
    /** The fix to offer first (`isPreferred` in LSP). */
    preferred?: boolean;
    /** An editor command the fix runs after its edits (`workbench.trust.manage`), for fixes that are no text edit. */
    command?: { title: string; command: string };
}

/**
 * The `data` of every .mas diagnostic: its code (what Langium and `testCodeAction` key on) and
 * the quick fixes, when the check could compute them. Plain JSON: it travels through the client.
 */
export interface MasDiagnosticData {
    code: IssueCode;
    fixes?: QuickFix[];
}

export function isMasDiagnosticData(data: unknown): data is MasDiagnosticData {
    return typeof data === 'object' && data !== null && typeof (data as { code?: unknown }).code === 'string';
}
