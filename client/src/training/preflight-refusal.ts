/**
 * The error toast of a failed pre-flight (preflight.ts) and the fix it offers: `device: auto` written into the
 * .mas file through a WorkspaceEdit (undoable, like any edit), or the download command on the clipboard.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cudaDeviceOffsets, type PreflightProblem } from './preflight.js';

const USE_AUTO = 'Use device: auto';
const COPY_COMMAND = 'Copy Download Command';

/** Shows the first problem (the rest go to the log); returns the reason for the command's result at once. */
export function refusePreflight(
    masFile: vscode.Uri,
    problems: PreflightProblem[],
    log: (line: string) => void,
): { started: false; reason: string } {
    const head = `MAS: ${path.basename(masFile.fsPath)} cannot start:`;
    for (const problem of problems) log(`pre-flight: ${problem.message}`);
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (+${problems.length - 1} more in the log)` : '';
    const reason = `${head} ${first.message}${more}`;
    const actions = first.action === 'use-auto-device' ? [USE_AUTO] : first.action ? [COPY_COMMAND] : [];
    void vscode.window.showErrorMessage(reason, ...actions).then(async (choice) => {
        if (choice === USE_AUTO) await useAutoDevice(masFile, log);
        if (choice === COPY_COMMAND && first.command) await vscode.env.clipboard.writeText(first.command);
    });
    return { started: false, reason };
}

/** Replaces `cuda` in the file's `device: cuda` with `auto` and saves; says so when the setting is elsewhere. */
export async function useAutoDevice(masFile: vscode.Uri, log: (line: string) => void): Promise<boolean> {
    const document = await vscode.workspace.openTextDocument(masFile);
    const offsets = cudaDeviceOffsets(document.getText());
    if (!offsets) {
        void vscode.window.showWarningMessage(
            `MAS: no "device: cuda" in ${path.basename(masFile.fsPath)}; change it where the train block is declared.`,
        );
        return false;
    }
    const edit = new vscode.WorkspaceEdit();
    const [start, end] = [document.positionAt(offsets.start), document.positionAt(offsets.end)];
    const range = new vscode.Range(start.line, start.character, end.line, end.character);
    edit.replace(masFile, range, 'auto');
    const applied = await vscode.workspace.applyEdit(edit);
    if (applied) {
        await document.save();
        log(`pre-flight: set device: auto in ${masFile.fsPath}`);
    }
    return applied;
}
