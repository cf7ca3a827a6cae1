/**
 * Every contributed command (package.json `contributes.commands`, category "MAS"). Registered at activation,
 * before the language server is up, so none ever fails with "command not found"; each returns a value
 * (for tests driving a real VS Code) and says why when it cannot act.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS as ALL_COMMAND_IDS } from '../../protocol/commands.js';

/** The commands registered here; mas.trajectory.show is registered with the trajectory view (trajectory/index.ts). */
const { showTrajectories: _trajectories, ...REGISTERED_HERE } = ALL_COMMAND_IDS;
export const COMMAND_IDS = REGISTERED_HERE;

export type CommandId = (typeof COMMAND_IDS)[keyof typeof COMMAND_IDS];

/** What each command does; the context object supplies them (commands.ts holds no state). */
export type CommandHandlers = Record<CommandId, (...args: unknown[]) => Promise<unknown>>;

/** A command's outcome when it cannot run: shown to the user and returned to the caller. */
export interface Unavailable {
    unavailable: string;
}

export function unavailable(reason: string): Unavailable {
    void vscode.window.showWarningMessage(reason);
    return { unavailable: reason };
}

export function registerCommands(handlers: CommandHandlers, log: vscode.LogOutputChannel): vscode.Disposable[] {
    return Object.values(COMMAND_IDS).map((id) => vscode.commands.registerCommand(id, async (...args: unknown[]) => {
        try {
            return await handlers[id](...args);
        } catch (error) {
            // A bug or an unexpected OS error: one message, the details in the log, never an unhandled rejection.
            const message = error instanceof Error ? error.message : String(error);
            log.error(`${id} failed: ${error instanceof Error && error.stack ? error.stack : message}`);
            void vscode.window.showErrorMessage(message.startsWith('MAS:') ? message : `MAS: ${message}`);
            return { error: message };
        }
    }));
}
