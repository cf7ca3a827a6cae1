/**
 * The one run picker: the workspace's runs (when the caller lists them) and "Browse…" for a run directory anywhere,
 * starting in the workspace's runs/ folder. Used by Open Run…, the dashboard's Open / Compare buttons and the
 * trajectory view (command and debugger).
 */
import * as vscode from 'vscode';

export interface RunPickerOptions {
    /** The button of the folder dialog ("Open Run", "Compare With This Run"). */
    openLabel: string;
    /** The dialog's (and the list's) title. */
    title?: string;
    /** Runs to offer before "Browse…" (label: the folder name; description: its state); none → the dialog at once. */
    known?: () => { label: string; description: string; runDir: string }[];
}

/** The workspace's runs/ folder, where browsing starts. */
export function runsRoot(): vscode.Uri | undefined {
    const folder = vscode.workspace.workspaceFolders?.[0];
    return folder ? vscode.Uri.joinPath(folder.uri, 'runs') : undefined;
}

/** The chosen folder's path, or undefined when the user cancelled. */
export async function pickRunDirectory(options: RunPickerOptions): Promise<string | undefined> {
    if (options.known) {
        const browse = { label: '$(folder-opened) Browse…', description: 'a run directory anywhere', runDir: '' };
        const items = options.known();
        const picked = await vscode.window.showQuickPick([...items, browse], { title: options.title ?? 'MAS: open a run', placeHolder: items.length ? 'runs/ in this workspace' : 'No runs/ folder here yet: browse for a run directory' });
        if (!picked) return undefined;
        if (picked !== browse) return picked.runDir;
    }
    const defaultUri = runsRoot();
    const folders = await vscode.window.showOpenDialog({
        canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: options.openLabel,
        ...(options.title ? { title: options.title } : {}),
        ...(defaultUri ? { defaultUri } : {}),
    });
    return folders?.[0]?.fsPath;
}

/** The trajectory view's and the debugger's picker: a folder with run.json. */
export function pickTrajectoryRun(): Promise<string | undefined> {
    return pickRunDirectory({ openLabel: 'Open run', title: 'MAS: choose a run directory (runs/<name>, with run.json)' });
}
