/**
 * "MAS: Export Trained Agents…" (mas.run.exportAgents): a run (the one run picker), a step (the newest complete
 * checkpoint first), an output folder, then the trainer's `export` with progress and cancel
 * (training/export-agents.ts); the result offers to reveal the folder. Runs Python: trusted workspaces only.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { completeCheckpoints, runExport, type ExportOutcome } from '../training/export-agents.js';
import type { PythonEnvironment } from '../training/python-env.js';
import type { TrustSource } from '../training/trust.js';
import { workspaceRunDirs } from './run-directory.js';
import { pickRunDirectory } from './run-picker.js';

export interface ExportCommandDeps {
    python: Pick<PythonEnvironment, 'resolve' | 'env' | 'trainerRoot'>;
    trust: TrustSource;
}

export type ExportCommandResult =
    | { exported: ExportOutcome }
    | { unavailable: string }
    | { cancelled: 'run' | 'step' | 'folder' };

async function pickStep(runDir: string, steps: number[]): Promise<number | undefined> {
    if (steps.length === 1) return steps[0];
    const items = steps.map((step, i) => ({
        label: `step ${step}`,
        description: i === 0 ? 'newest' : '',
        step,
    }));
    const picked = await vscode.window.showQuickPick(items, {
        title: `MAS: export which checkpoint of ${path.basename(runDir)}?`,
        placeHolder: 'Complete checkpoints, newest first',
    });
    return picked?.step;
}

export async function exportAgents(deps: ExportCommandDeps, arg?: unknown): Promise<ExportCommandResult> {
    if (!deps.trust.isTrusted()) {
        const reason =
            'MAS: exporting trained agents runs Python, which is disabled in an untrusted workspace. Trust the workspace to use it.';
        void vscode.window.showWarningMessage(reason);
        return { unavailable: reason };
    }
    const runDir =
        (typeof arg === 'string' ? arg : (arg as vscode.Uri | undefined)?.fsPath) ??
        (await pickRunDirectory({
            openLabel: 'Export From This Run',
            title: 'MAS: export the trained agents of which run?',
            known: () =>
                workspaceRunDirs((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath))
                    .map((dir) => ({ dir, steps: completeCheckpoints(dir) }))
                    .filter((run) => run.steps.length > 0)
                    .map((run) => ({
                        label: path.basename(run.dir),
                        description: `checkpoint at step ${run.steps[0]}`,
                        runDir: run.dir,
                    })),
        }));
    if (!runDir) return { cancelled: 'run' };
    const steps = completeCheckpoints(runDir);
    if (steps.length === 0) {
        const reason = `MAS: ${runDir} has no complete checkpoint yet; train until one is written (checkpoint_every).`;
        void vscode.window.showWarningMessage(reason);
        return { unavailable: reason };
    }
    const step = await pickStep(runDir, steps);
    if (step === undefined) return { cancelled: 'step' };
    const folders = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        openLabel: 'Export Here',
        title: 'MAS: an empty folder for the exported agents (one subfolder each)',
    });
    const out = folders?.[0]?.fsPath;
    if (!out) return { cancelled: 'folder' };
    const python = await deps.python.resolve();
    const outcome = await vscode.window.withProgress(
        {
            location: vscode.ProgressLocation.Notification,
            title: `MAS: exporting the agents of ${path.basename(runDir)} (step ${step})…`,
            cancellable: true,
        },
        (_progress, token) => {
            const abort = new AbortController();
            token?.onCancellationRequested?.(() => abort.abort());
            return runExport({
                python: python.command,
                trainerRoot: deps.python.trainerRoot,
                env: deps.python.env(),
                trust: deps.trust,
                runDir,
                out,
                step,
                signal: abort.signal,
            });
        },
    );
    void showOutcome(outcome, out);
    return { exported: outcome };
}

async function showOutcome(outcome: ExportOutcome, out: string): Promise<void> {
    if (!outcome.ok) {
        if (outcome.cancelled) return void vscode.window.showInformationMessage('MAS: export cancelled.');
        return void vscode.window.showErrorMessage(`MAS: export failed: ${outcome.message}`);
    }
    const agents = outcome.result.agents.map((a) => `${a.agent} (${a.kind === 'adapter' ? 'LoRA adapter' : 'model'})`);
    const choice = await vscode.window.showInformationMessage(
        `MAS: exported ${agents.join(', ')} of step ${outcome.result.step} to ${out}.`,
        'Reveal',
    );
    if (choice === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(out));
}
