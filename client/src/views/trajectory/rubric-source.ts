import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import type { RunIndex } from '../../../../analysis/run-dir/run-index.js';
import { resolveWorkflowSource } from '../../../../analysis/run-dir/workflow-source.js';
import type { CompileResult } from '../../../../protocol/lsp.js';
import { judgeTrustRefusal, verifierTrustRefusal, workspaceVerifiersOf } from '../../training/verifier-trust.js';
import type { RubricSource } from './controller.js';

/** The .mas file a run came from, as this workspace has it (analysis/run-dir/workflow-source.ts says how it is found). */
export function workflowFile(index: RunIndex): { uri: vscode.Uri; outsideWorkspace: boolean } {
    const recorded = index.run.spec.source.file;
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const found = resolveWorkflowSource(recorded, folders, existsSync);
    if (!found.file) {
        throw new Error(
            `the run was compiled from ${recorded}, which is not in this workspace (nor a file of the same name under it); open the folder that holds the workflow, then re-score.`,
        );
    }
    return { uri: vscode.Uri.file(found.file), outsideWorkspace: found.outsideWorkspace };
}

/**
 * The reward rubric as it is now in the workflow's .mas file (unsaved edits included: the language server compiles
 * the open document), for re-scoring a run without retraining.
 */
export async function currentRubric(
    compile: (uri: string) => Promise<CompileResult>,
    index: RunIndex,
): Promise<RubricSource> {
    const { uri, outsideWorkspace } = workflowFile(index);
    await vscode.workspace.openTextDocument(uri); // the server compiles documents it has loaded
    const result = await compile(uri.toString());
    if ('diagnostics' in result) {
        const first = result.diagnostics[0];
        throw new Error(
            `${uri.fsPath} does not compile (${result.diagnostics.length} error(s)${first ? `, first: line ${first.range.start.line + 1}: ${first.message}` : ''}); fix it, then re-score.`,
        );
    }
    const name = index.run.spec.reward.rubric;
    const rubric =
        result.spec.rubrics.find((r) => r.name === result.spec.reward.rubric) ??
        result.spec.rubrics.find((r) => r.name === name);
    if (!rubric)
        throw new Error(`${uri.fsPath} has no rubric '${name}' any more; re-scoring needs the reward's rubric.`);
    const refusal = verifierTrustRefusal(
        'Re-scoring',
        workspaceVerifiersOf(rubric, result.spec.verifiers),
        vscode.workspace.isTrusted,
    );
    if (refusal) throw new Error(refusal);
    const judgeRefusal = judgeTrustRefusal('Re-scoring', rubric, vscode.workspace.isTrusted);
    if (judgeRefusal) throw new Error(judgeRefusal);
    // A file outside the workspace is named in full, so the user sees which copy scored the run.
    const source = outsideWorkspace
        ? `${uri.fsPath} (outside the workspace)`
        : vscode.workspace.asRelativePath(uri, false);
    // The trainer scores the spec's reward rubric: the one chosen here, also when it was found by the run's name.
    const spec = { ...result.spec, reward: { ...result.spec.reward, rubric: rubric.name } };
    return { rubric, level: result.spec.reward.level, source, spec };
}
