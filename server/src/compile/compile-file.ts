import { loadMasFiles } from '../language/workspace/load-workspace.js';
import { compileDocument, type CompileOutcome } from './compile-workflow.js';

/** Compiles one .mas file from disk (with its imports); an unreadable path is a `problem`, never an exception. */
export async function compileFile(path: string): Promise<CompileOutcome | { ok: false; problem: string }> {
    const workspace = await loadMasFiles([path]);
    const root = workspace.roots[0];
    if (!root) return { ok: false, problem: workspace.problems[0]?.message ?? `${path} cannot be read; check the path.` };
    return compileDocument(root, workspace.shared.workspace.LangiumDocuments);
}
