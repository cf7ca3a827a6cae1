/**
 * The one command table: a handler for every contributed command (protocol/commands.ts), registered in one place
 * at activation, before the language server is up, so none ever fails with "command not found". Each returns a
 * value (for tests driving a real VS Code) and says why when it cannot act.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS, type CommandName } from '../../protocol/commands.js';
import { exportAgents } from './runs/export-command.js';
import { debugRollout } from './debug/rollout-debug.js';
import { deleteRun, exportRunReport, type RunActionDeps } from './runs/run-actions.js';
import { pickRunDirectory, pickTrajectoryRun } from './runs/run-picker.js';
import { openTensorBoard } from './views/dashboard/tensorboard.js';
import { setUpTrainerEnvironment } from './training/env-setup-command.js';
import type { Training } from './training/training.js';
import { toPath, workflowTarget } from './training/training-controller.js';

export type CommandHandler = (...args: unknown[]) => Promise<unknown>;
export type CommandTable = Record<CommandName, CommandHandler>;

/** The views the commands open (client/src/views/). */
export interface CommandViews {
    showDashboard(runDir: string | undefined): unknown;
    /** Adds the run as a comparison run of the dashboard's run; with no dashboard run, shows it as the main run. */
    compareInDashboard(runDir: string): unknown;
    showGraph(document: vscode.Uri): unknown;
    showTrajectories(root: string): unknown;
    /** "Debug this Rollout" from the trajectory view's context menu: `context` is its `data-vscode-context`. */
    debugRolloutInView(context: unknown): Promise<unknown>;
}

/** A command's outcome when it cannot run: shown to the user and returned to the caller. */
export interface Unavailable {
    unavailable: string;
}

export function unavailable(reason: string): Unavailable {
    void vscode.window.showWarningMessage(reason);
    return { unavailable: reason };
}

/** The run directory a command got (a Runs view row, a Uri, a path) or the one the user picks. */
async function runArgument(arg: unknown, openLabel: string): Promise<string | undefined> {
    return toPath(arg) ?? (await pickRunDirectory({ openLabel }));
}

/**
 * `runs`: the Runs view; `actions`: what report export and delete need (both absent where a test drives the commands
 * without them).
 */
export function commandTable(
    training: Training,
    views: CommandViews,
    runs?: { refresh(): void },
    actions?: RunActionDeps,
): CommandTable {
    return {
        exportReport: async (arg) => {
            if (!actions) return unavailable('MAS: the run reader is not available in this window.');
            const runDir = await runArgument(arg, 'Export Report');
            if (!runDir) return undefined;
            const result = await exportRunReport(actions, runDir);
            if (result.error) void vscode.window.showErrorMessage(result.error);
            return result;
        },
        debugRun: async (arg) => {
            const runDir = await runArgument(arg, 'Debug');
            if (!runDir) return undefined;
            return debugRollout(runDir);
        },
        debugRolloutInView: (context) => views.debugRolloutInView(context),
        revealRun: async (arg) => {
            const runDir = await runArgument(arg, 'Reveal');
            if (runDir) await vscode.commands.executeCommand('revealFileInOS', vscode.Uri.file(runDir));
            return runDir ? { revealed: runDir } : undefined;
        },
        deleteRun: async (arg) => {
            const runDir = toPath(arg);
            if (!runDir || !actions) return unavailable('MAS: choose the run to delete in the Runs view.');
            const result = await deleteRun(actions, runDir);
            if (result.error) return unavailable(result.error);
            if (result.deleted) runs?.refresh();
            return result;
        },
        refreshRuns: async () => {
            runs?.refresh();
            return { refreshed: runs !== undefined };
        },
        startTraining: (arg) => training.controller.start(arg),
        stopTraining: (arg) => training.controller.stop(arg),
        openRun: (arg) => training.controller.openRun(arg),
        selectPython: async () => ({ pythonPath: await training.python.selectInterpreter() }),
        checkEnv: async () => {
            if (!vscode.workspace.isTrusted)
                return unavailable(
                    'MAS: checking the trainer environment runs Python, which is disabled in an untrusted workspace. Trust the workspace to use it.',
                );
            return training.python.showCheck(vscode.window.activeTextEditor?.document.uri);
        },
        setupEnv: async () => {
            const result = await setUpTrainerEnvironment({
                trainerRoot: training.python.trainerRoot,
                storageDir: training.storageDir,
                log: training.log,
                useInterpreter: (python) => training.python.useInterpreter(python),
            });
            if (result.error) {
                const showLog = 'Show Log';
                void vscode.window.showErrorMessage(result.error, showLog).then((choice) => {
                    if (choice === showLog) training.log.show(true);
                });
            }
            return result;
        },
        exportAgents: (arg) =>
            exportAgents({ python: training.python, trust: { isTrusted: () => vscode.workspace.isTrusted } }, arg),
        showDashboard: async (arg) => {
            const runDir = toPath(arg) ?? training.trainers.running[training.trainers.running.length - 1]?.runDir;
            views.showDashboard(runDir);
            return { dashboard: runDir ?? null };
        },
        compareInDashboard: async (arg) => {
            const runDir = await runArgument(arg, 'Compare in Dashboard');
            if (!runDir) return undefined;
            return views.compareInDashboard(runDir);
        },
        showGraph: async (arg) => {
            const uri = workflowTarget(arg);
            if (!uri)
                return unavailable('MAS: open a .mas workflow (or use the "Show graph" code lens) to see its graph.');
            views.showGraph(uri);
            return { graph: uri.toString() };
        },
        openTensorBoard: async (arg) => {
            const runDir = toPath(arg) ?? (await pickRunDirectory({ openLabel: 'Open in TensorBoard' }));
            if (!runDir) return undefined;
            const result = await openTensorBoard(training.python, runDir);
            return 'unavailable' in result ? unavailable(result.unavailable) : result;
        },
        showTrajectories: async (target) => {
            const root =
                typeof target === 'string'
                    ? target
                    : ((target as vscode.Uri | undefined)?.fsPath ?? (await pickTrajectoryRun()));
            if (root) views.showTrajectories(root);
            return undefined;
        },
    };
}

export function registerCommandTable(table: CommandTable, log: vscode.LogOutputChannel): vscode.Disposable[] {
    return (Object.keys(table) as CommandName[]).map((name) => {
        const id = COMMAND_IDS[name];
        return vscode.commands.registerCommand(id, async (...args: unknown[]) => {
            try {
                return await table[name](...args);
            } catch (error) {
                // A bug or an unexpected OS error: one message, the details in the log, never an unhandled rejection.
                const message = error instanceof Error ? error.message : String(error);
                log.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
                void vscode.window.showErrorMessage(message.startsWith('MAS:') ? message : `MAS: ${message}`);
                return { error: message };
            }
        });
    });
}
