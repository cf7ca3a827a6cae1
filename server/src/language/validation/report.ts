import type { AstNode, DiagnosticInfo, ValidationAcceptor, ValidationSeverity } from 'langium';
import type { Range } from 'vscode-languageserver';
import type { MasDiagnosticData, QuickFix } from './diagnostic-data.js';
import type { IssueCode } from './issue-codes.js';

/**
 * Where a diagnostic goes: a node, narrowed to one of its properties or keywords, or a range in its
 * document. (Langium's `DiagnosticInfo` without code and data, loose on the property name so that one
 * call can choose between nodes of different types.)
 */
export interface Location {
    node: AstNode;
    property?: string;
    keyword?: string;
    index?: number;
    range?: Range;
}

/**
 * Reports a diagnostic with its issue code in both places clients look for it: `code` (shown in the
 * Problems view, used by the CLI) and `data.code` (what quick fixes and `langium/test` key on).
 */
export function report(
    accept: ValidationAcceptor,
    severity: ValidationSeverity,
    code: IssueCode,
    message: string,
    location: Location,
    fixes?: QuickFix[],
): void {
    const data: MasDiagnosticData = fixes && fixes.length > 0 ? { code, fixes } : { code };
    accept(severity, message, { ...location, code, data } as DiagnosticInfo<AstNode>);
}
