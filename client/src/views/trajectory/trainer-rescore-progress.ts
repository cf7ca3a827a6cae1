/**
 * The trajectory view's re-score through the trainer, in VS Code terms: the configured interpreter (the one owner,
 * training/python-env.ts), a cancellable progress notification fed by the trainer's progress lines, the trainer's
 * warnings in the "MAS Studio" output. The process itself: training/trainer-rescore.ts.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TrainerScores } from '../../../../analysis/run-dir/rescore-stream.js';
import type { RunSpec } from '../../../../protocol/run-spec.js';
import type { PythonEnvironment } from '../../training/python-env.js';
import { runTrainerRescore } from '../../training/trainer-rescore.js';

export type TrainerPython = Pick<PythonEnvironment, 'resolve' | 'env' | 'trainerRoot'>;

export async function rescoreWithTrainer(
    python: TrainerPython,
    root: string,
    spec: RunSpec,
    log: (line: string) => void,
): Promise<TrainerScores> {
    const resolved = await python.resolve();
    log(`re-score of ${root} with ${resolved.describe} (the rubric calls Python verifiers)`);
    const outcome = await vscode.window.withProgress(
        {
            location: vscode.ProgressLocation.Notification,
            title: `MAS: re-scoring ${path.basename(root)} with the trainer's Python`,
            cancellable: true,
        },
        (progress, token) => {
            const abort = new AbortController();
            token.onCancellationRequested(() => abort.abort());
            let shown = 0;
            return runTrainerRescore({
                python: resolved.command,
                trainerRoot: python.trainerRoot,
                env: python.env(),
                trust: { isTrusted: () => vscode.workspace.isTrusted },
                spec,
                runDirs: [root],
                signal: abort.signal,
                onProgress: ({ done, total }) => {
                    const percent = total > 0 ? (100 * done) / total : 100;
                    progress.report({ message: `${done} / ${total} rollouts`, increment: percent - shown });
                    shown = percent;
                },
                onStderrLine: (line) => log(`rescore: ${line}`),
            });
        },
    );
    if (!outcome.ok)
        throw new Error(outcome.cancelled ? 'Re-scoring was cancelled.' : `Re-scoring failed: ${outcome.message}`);
    return outcome.scores;
}
