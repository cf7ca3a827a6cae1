import * as path from 'node:path';
import * as vscode from 'vscode';
import type { DashboardToHost } from '../../../../protocol/webview-messages.js';

type ExportMessage = Extract<DashboardToHost, { type: 'dashboard/export' }>;

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The bytes to write, or why not: a "PNG" that does not start with the PNG signature is refused. */
export function exportBytes(message: ExportMessage): Buffer | { refused: string } {
    if (message.format === 'csv') return Buffer.from(message.content, 'utf8');
    const bytes = Buffer.from(message.content, 'base64');
    return bytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)
        ? bytes
        : { refused: 'the chart image is not a PNG' };
}

/**
 * Saves what the dashboard exported where the user chooses (a save dialog next to the run directory): the host
 * writes nothing the user did not pick. Returns the file written, or undefined when cancelled or refused.
 */
export async function saveExport(message: ExportMessage, nearRunDir: string | undefined): Promise<string | undefined> {
    const bytes = exportBytes(message);
    if (!Buffer.isBuffer(bytes)) {
        void vscode.window.showErrorMessage(`MAS: cannot export: ${bytes.refused}.`);
        return undefined;
    }
    const folder = nearRunDir ? path.dirname(nearRunDir) : vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
    const target = await vscode.window.showSaveDialog({
        ...(folder ? { defaultUri: vscode.Uri.file(path.join(folder, message.name)) } : {}),
        filters: message.format === 'csv' ? { 'CSV (comma-separated)': ['csv'] } : { 'PNG image': ['png'] },
        saveLabel: message.format === 'csv' ? 'Export Metrics' : 'Save Chart',
    });
    if (!target) return undefined;
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`MAS: saved ${path.basename(target.fsPath)}.`);
    return target.fsPath;
}
