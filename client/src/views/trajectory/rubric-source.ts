import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RescoreSettings } from '../../../../analysis/run-dir/rescore.js';
import type { RunIndex } from '../../../../analysis/run-dir/run-index.js';
import type { CompileResult } from '../../../../protocol/lsp.js';

/** The .mas file a run came from: absolute as recorded, or relative to a workspace folder. */
export function workflowFile(index: RunIndex): vscode.Uri {
    const recorded = index.run.spec.source.file;
    if (path.isAbsolute(recorded)) return vscode.Uri.file(recorded);
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    return folder ? vscode.Uri.joinPath(folder, recorded) : vscode.Uri.file(path.resolve(recorded));
}

/**
 * The reward rubric as it is now in the workflow's .mas file (unsaved edits included: the language server compiles
 * the open document), for re-scoring a run without retraining.
 */
export async function currentRubric(
    compile: (uri: string) => Promise<CompileResult>, index: RunIndex,
): Promise<Omit<RescoreSettings, 'method' | 'params'>> {
    const uri = workflowFile(index);
    await vscode.workspace.openTextDocument(uri); // the server compiles documents it has loaded
    const result = await compile(uri.toString());
    if ('diagnostics' in result) {
        const first = result.diagnostics[0];
        throw new Error(`${uri.fsPath} does not compile (${result.diagnostics.length} error(s)${first ? `, first: line ${first.range.start.line + 1}: ${first.message}` : ''}); fix it, then re-score.`);
    }
    const name = index.run.spec.reward.rubric;
    const rubric = result.spec.rubrics.find(r => r.name === result.spec.reward.rubric) ?? result.spec.rubrics.find(r => r.name === name);
    if (!rubric) throw new Error(`${uri.fsPath} has no rubric '${name}' any more; re-scoring needs the reward's rubric.`);
    return { rubric, level: result.spec.reward.level, source: path.basename(uri.fsPath) };
}
