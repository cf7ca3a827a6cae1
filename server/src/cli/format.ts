import { relative, isAbsolute } from 'node:path';
import { URI } from 'langium';
import type { MasDiagnostic } from '../../../protocol/lsp.js';

/** A diagnostic for scripts and terminals: 1-based line and column, the file relative to `cwd` when inside it. */
export interface CliDiagnostic {
    file: string;
    line: number;
    column: number;
    severity: MasDiagnostic['severity'];
    code: string | null;
    message: string;
}

export function displayPath(fsPath: string, cwd: string): string {
    const rel = relative(cwd, fsPath);
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : fsPath;
}

export function toCliDiagnostic(diagnostic: MasDiagnostic, cwd: string): CliDiagnostic {
    return {
        file: displayPath(URI.parse(diagnostic.uri).fsPath, cwd),
        line: diagnostic.range.start.line + 1,
        column: diagnostic.range.start.character + 1,
        severity: diagnostic.severity,
        code: diagnostic.code ?? null,
        message: diagnostic.message,
    };
}

/** One line of plain text: line breaks become spaces, other control characters (NUL from a binary file) `\uXXXX`. */
function singleLine(text: string): string {
    return text
        .replace(/\s*[\r\n]+\s*/g, ' ')
        .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** `file:line:col severity code message` on one line (`-` when the diagnostic has no code). */
export function formatDiagnostic(d: CliDiagnostic): string {
    return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.code ?? '-'} ${singleLine(d.message)}`;
}
