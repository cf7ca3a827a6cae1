import * as vscode from 'vscode';

/** Asks for a run directory (a folder with run.json), starting in the workspace's runs/ folder. */
export async function pickRunDirectory(): Promise<string | undefined> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const picked = await vscode.window.showOpenDialog({
        canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Open run',
        title: 'MAS: choose a run directory (runs/<name>, with run.json)',
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'runs') } : {}),
    });
    return picked?.[0]?.fsPath;
}
