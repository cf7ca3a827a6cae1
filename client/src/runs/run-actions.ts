/**
 * What the Runs view (and the palette) can do to a run directory besides following it: write its HTML report,
 * reveal it in the OS file manager, delete it. A report is the same file `mas report` writes (analysis/run-dir/report).
 */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatMb, buildReportData, ReportTooLargeError } from '../../../analysis/run-dir/report-data.js';
import { loadReportAssets } from '../../../analysis/run-dir/report/assets.js';
import { reportHtml } from '../../../analysis/run-dir/report/report-html.js';
import { reportSource } from '../../../analysis/run-dir/report-source.js';
import type { RunReader } from '../../../analysis/run-dir/service.js';

/** The cap `mas report` uses by default (server/src/cli/report-command.ts DEFAULT_MAX_MB). */
const MAX_REPORT_MB = 50;

export interface RunActionDeps {
    reader: RunReader;
    /** out/webview of the extension: the bundles a report inlines. */
    webviewDir: string;
    /** Run directories a trainer of this window is writing: not deleted. */
    running(): readonly string[];
}

/** "Export Report…": the run's HTML report (title block, curves, source, trajectories) where the user picks. */
export async function exportRunReport(deps: RunActionDeps, runDir: string): Promise<{ report?: string; error?: string }> {
    const target = await vscode.window.showSaveDialog({
        defaultUri: vscode.Uri.file(path.join(path.dirname(runDir), `${path.basename(runDir)}.report.html`)),
        filters: { 'HTML report': ['html'] },
        saveLabel: 'Export Report',
    });
    if (!target) return {};
    try {
        const bytes = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: `MAS: writing the report of ${path.basename(runDir)}…` },
            async () => {
                const index = await deps.reader.index(runDir);
                const source = await reportSource(index.run.spec?.source, undefined);
                const { json } = await buildReportData(deps.reader, index, {
                    maxBytes: MAX_REPORT_MB * 1_000_000,
                    source,
                });
                const html = reportHtml(await loadReportAssets(deps.webviewDir), json);
                await writeFile(target.fsPath, html, 'utf8');
                return Buffer.byteLength(html, 'utf8');
            },
        );
        const open = 'Open';
        void vscode.window
            .showInformationMessage(`MAS: wrote ${path.basename(target.fsPath)} (${formatMb(bytes)} MB).`, open)
            .then((choice) => {
                if (choice === open) void vscode.env.openExternal(target);
            });
        return { report: target.fsPath };
    } catch (error) {
        const why =
            error instanceof ReportTooLargeError
                ? `${error.message}; use \`mas report ${runDir} --steps a-b\` for a range of steps`
                : (error as Error).message;
        return { error: `MAS: cannot write the report: ${why}` };
    }
}

/** "Delete Run…": after a modal confirmation, to the trash; never a run a trainer of this window is writing. */
export async function deleteRun(deps: RunActionDeps, runDir: string): Promise<{ deleted?: string; error?: string }> {
    if (deps.running().includes(runDir))
        return { error: `MAS: ${path.basename(runDir)} is training; stop it before deleting it.` };
    const remove = 'Move to Trash';
    const choice = await vscode.window.showWarningMessage(
        `Delete the run ${path.basename(runDir)}? Its checkpoints, trajectories and metrics move to the trash.`,
        { modal: true },
        remove,
    );
    if (choice !== remove) return {};
    await vscode.workspace.fs.delete(vscode.Uri.file(runDir), { recursive: true, useTrash: true });
    return { deleted: runDir };
}
