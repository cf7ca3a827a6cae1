import type { MasDiagnostic } from '../../../protocol/lsp.js';
import type { RunSpec } from '../../../protocol/run-spec.js';
import { visibleDocuments } from '../language/scope/imports.js';
import { diagnosticsOf } from '../language/workspace/diagnostics.js';
import { loadMasFiles } from '../language/workspace/load-workspace.js';
import { isMasFile } from '../language/generated/ast.js';
import { compileDocument, type CompileOutcome } from './compile-workflow.js';

/** A compiled file also carries the warnings of the file and its imports, which a compile does not stop on. */
export type FileCompileOutcome =
    | { ok: true; spec: RunSpec; warnings: MasDiagnostic[] }
    | Exclude<CompileOutcome, { ok: true }>
    | { ok: false; problem: string };

/** Compiles one .mas file from disk (with its imports); an unreadable path is a `problem`, never an exception. */
export async function compileFile(path: string): Promise<FileCompileOutcome> {
    const workspace = await loadMasFiles([path]);
    const root = workspace.roots[0];
    if (!root)
        return { ok: false, problem: workspace.problems[0]?.message ?? `${path} cannot be read; check the path.` };
    const outcome = compileDocument(root, workspace.shared.workspace.LangiumDocuments);
    if (!outcome.ok) return outcome;
    const ast = root.parseResult.value;
    const visible = isMasFile(ast) ? visibleDocuments(ast, workspace.shared.workspace.LangiumDocuments) : [root];
    return { ...outcome, warnings: diagnosticsOf(visible).filter((d) => d.severity === 'warning') };
}
