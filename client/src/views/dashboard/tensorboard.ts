import { statSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { RUN_DIR_FILES } from '../../../../protocol/run-dir.js';
import type { PythonEnvironment } from '../../training/python-env.js';

/** The event-file folder TensorBoard should read for a run, or why there is none. */
export function tensorBoardLogDir(runDir: string): { logdir: string } | { missing: string } {
    const logdir = path.join(runDir, RUN_DIR_FILES.tensorboardDir);
    let isDir = false;
    try {
        isDir = statSync(logdir).isDirectory();
    } catch {
        isDir = false;
    }
    return isDir
        ? { logdir }
        : {
              missing: `${path.basename(runDir)} has no TensorBoard events (${RUN_DIR_FILES.tensorboardDir}/): the trainer writes them when the tensorboard package is installed in its Python environment (pip install tensorboard; MAS: Check Trainer Environment says which environment).`,
          };
}

/** The terminal's program and arguments: TensorBoard from the trainer's interpreter (it picks a free port from 6006). */
export function tensorBoardCommand(python: string, logdir: string): { shellPath: string; shellArgs: string[] } {
    return { shellPath: python, shellArgs: ['-m', 'tensorboard.main', '--logdir', logdir] };
}

/**
 * Opens a run in TensorBoard: a terminal running the trainer's Python (`-m tensorboard.main --logdir`), whose
 * printed URL the user follows. Runs a program, so not in an untrusted workspace.
 */
export async function openTensorBoard(
    python: PythonEnvironment,
    runDir: string,
): Promise<{ tensorboard: string } | { unavailable: string }> {
    if (!vscode.workspace.isTrusted)
        return { unavailable: 'MAS: TensorBoard runs Python, which is disabled in an untrusted workspace.' };
    const dir = tensorBoardLogDir(runDir);
    if ('missing' in dir) return { unavailable: `MAS: ${dir.missing}` };
    const resolved = await python.resolve();
    const terminal = vscode.window.createTerminal({
        name: `TensorBoard: ${path.basename(runDir)}`,
        ...tensorBoardCommand(resolved.command, dir.logdir),
        env: python.env(),
    });
    terminal.show();
    return { tensorboard: dir.logdir };
}
