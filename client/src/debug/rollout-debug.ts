/**
 * "Debug a Rollout" (Runs view, palette) and "Debug this rollout" (trajectory view): the one way the extension starts
 * the `mas-trajectory` debugger on a run. It also saves the configuration in the folder's launch.json, through VS
 * Code's configuration API, so the next launch is one click in Run and Debug and asks nothing (issue 15 item 6).
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { rolloutLaunchConfig, type TrajectoryLaunchConfig } from './launch-args.js';

/** What happened to launch.json: entry added, an identical one already there, no folder to write it in, or refused. */
export type LaunchJsonOutcome = 'added' | 'exists' | 'no-folder' | { refused: string };

export interface RolloutDebugResult {
    /** The run being debugged, or null when VS Code did not start the session. */
    debugging: string | null;
    launchJson: LaunchJsonOutcome;
    error?: string;
}

const WORKSPACE_FOLDER = '${workspaceFolder}';

/** The run directory as launch.json should hold it: relative to the folder when inside it (portable), else absolute. */
function portableRunDir(runDir: string, folder: string): string {
    const relative = path.relative(folder, runDir);
    if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return runDir;
    return `${WORKSPACE_FOLDER}/${relative.split(path.sep).join('/')}`;
}

function resolvedRunDir(value: unknown, folder: string): string | undefined {
    if (typeof value !== 'string') return undefined;
    return path.resolve(value.startsWith(WORKSPACE_FOLDER) ? folder + value.slice(WORKSPACE_FOLDER.length) : value);
}

/**
 * Whether `existing` (any value a user's launch.json holds) launches the same thing as `entry`: the same keys and
 * values, the run directory compared resolved, the name ignored (a user may have renamed it).
 */
export function sameLaunch(existing: unknown, entry: TrajectoryLaunchConfig, folder: string): boolean {
    if (typeof existing !== 'object' || existing === null || Array.isArray(existing)) return false;
    const other = existing as Record<string, unknown>;
    const mine = entry as unknown as Record<string, unknown>;
    const keys = new Set([...Object.keys(other), ...Object.keys(mine)]);
    keys.delete('name');
    for (const key of keys) {
        if (key === 'runDir') {
            if (resolvedRunDir(other[key], folder) !== resolvedRunDir(mine[key], folder)) return false;
        } else if (other[key] !== mine[key]) return false;
    }
    return true;
}

/** Appends `entry` to the folder's launch configurations unless an identical one is there. */
async function saveLaunchEntry(
    folder: vscode.WorkspaceFolder,
    entry: TrajectoryLaunchConfig,
): Promise<LaunchJsonOutcome> {
    const launch = vscode.workspace.getConfiguration('launch', folder.uri);
    // The folder's own launch.json only: `get` would merge in user-level launch settings, which must not be copied in.
    // (In a single-folder window VS Code may report the folder's file as the workspace value.)
    const inspected = launch.inspect<unknown>('configurations');
    const single = (vscode.workspace.workspaceFolders?.length ?? 0) <= 1;
    const configurations: unknown =
        inspected?.workspaceFolderValue ?? (single ? inspected?.workspaceValue : undefined) ?? [];
    // A hand-edited launch.json may hold anything here: never overwrite what cannot be extended.
    if (!Array.isArray(configurations))
        return { refused: '"configurations" in launch.json is not a list; the entry was not saved.' };
    if (configurations.some((c) => sameLaunch(c, entry, folder.uri.fsPath))) return 'exists';
    await launch.update('configurations', [...configurations, entry], vscode.ConfigurationTarget.WorkspaceFolder);
    return 'added';
}

/**
 * Starts the debugger on `runDir` at `step`/`rollout` (absent: the first recorded step, rollout 0), stopping on entry,
 * after saving the configuration in launch.json of the run's folder (or the first folder); in a window with no folder
 * it only launches.
 */
export async function debugRollout(runDir: string, step?: number, rollout?: number): Promise<RolloutDebugResult> {
    // Restricted Mode disables debugging: say so, and leave the untrusted workspace's launch.json alone.
    if (!vscode.workspace.isTrusted)
        return {
            debugging: null,
            launchJson: { refused: 'the workspace is not trusted' },
            error: 'MAS: debugging is disabled in an untrusted workspace (Restricted Mode); trust the workspace to step through a rollout, or step through it in the trajectory view.',
        };
    const folder =
        vscode.workspace.getWorkspaceFolder(vscode.Uri.file(runDir)) ?? vscode.workspace.workspaceFolders?.[0];
    const config = rolloutLaunchConfig(runDir, path.basename(runDir), step, rollout);
    let launchJson: LaunchJsonOutcome = 'no-folder';
    if (folder) {
        try {
            launchJson = await saveLaunchEntry(folder, {
                ...config,
                runDir: portableRunDir(runDir, folder.uri.fsPath),
            });
        } catch (error) {
            // Saving is a convenience: a read-only .vscode folder must not stop the debugging the user asked for.
            launchJson = { refused: `launch.json could not be updated: ${(error as Error).message}` };
        }
        if (typeof launchJson === 'object') void vscode.window.showWarningMessage(`MAS: ${launchJson.refused}`);
    }
    // The session gets the absolute directory: the trajectory view and the Runs view compare it with theirs.
    const started = await vscode.debug.startDebugging(folder, config);
    return {
        debugging: started ? runDir : null,
        launchJson,
        ...(started ? {} : { error: `MAS: the debugger did not start on ${path.basename(runDir)}.` }),
    };
}
