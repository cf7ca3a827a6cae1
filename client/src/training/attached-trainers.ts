/**
 * What the user sees of followed runs: one status bar item (the latest trainer: step/total, reward, ETA;
 * click opens the dashboard), the trainer's output in the "MAS Trainer" log channel, and one notification
 * when a run ends — for a failure with "Show Log" opening the line that names the cause.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../protocol/commands.js';
import { Emitter } from './emitter.js';
import type { RunOutcome } from './run-outcome.js';
import { statusText } from './run-progress.js';
import type { TrainerAttachment } from './trainer-attachment.js';

const DASHBOARD_COMMAND = COMMAND_IDS.showDashboard;

export class AttachedTrainers implements vscode.Disposable {
    private readonly item: vscode.StatusBarItem;
    private readonly followed = new Map<
        string,
        { trainer: TrainerAttachment; subscriptions: { dispose(): void }[]; command: vscode.Command }
    >();
    private current: TrainerAttachment | undefined;
    /** A followed trainer was added, made progress or ended (the Runs view redraws its row). */
    readonly onDidChange = new Emitter<void>();

    constructor(
        readonly log: vscode.LogOutputChannel,
        private readonly onChange: () => void,
    ) {
        this.item = vscode.window.createStatusBarItem('mas.training', vscode.StatusBarAlignment.Left, 50);
        this.item.name = 'MAS Training';
    }

    get running(): TrainerAttachment[] {
        return [...this.followed.values()].map((s) => s.trainer);
    }

    find(runDir: string): TrainerAttachment | undefined {
        return this.followed.get(runDir)?.trainer;
    }

    /** Shows a trainer and reports its end once. */
    add(trainer: TrainerAttachment): void {
        if (this.followed.has(trainer.runDir)) return;
        const subscriptions = [
            trainer.onProgress.on(() => {
                if (trainer === this.current) this.render();
                this.onDidChange.fire();
            }),
            trainer.onLog.on((lines) => {
                for (const line of lines) this.log.appendLine(line);
            }),
            trainer.onEnd.on((outcome) => {
                void this.ended(trainer, outcome);
            }),
        ];
        const command = { title: 'Show Training Dashboard', command: DASHBOARD_COMMAND, arguments: [trainer.runDir] };
        this.followed.set(trainer.runDir, { trainer, subscriptions, command });
        this.current = trainer;
        this.render();
        this.onChange();
        this.onDidChange.fire();
    }

    private render(): void {
        const trainer = this.current;
        if (!trainer) {
            this.item.hide();
            return;
        }
        const snapshot = trainer.snapshot;
        this.item.text = statusText(trainer.workflow, snapshot);
        this.item.tooltip = `MAS training: ${trainer.runDir} (pid ${trainer.pid}). Click to open the training dashboard.`;
        // The same object every step: VS Code re-registers a status bar command whenever it is given a new object
        // and drops the old registration, so a click that raced a progress update used to do nothing.
        this.item.command = this.followed.get(trainer.runDir)?.command;
        this.item.show();
    }

    private forget(trainer: TrainerAttachment): void {
        const entry = this.followed.get(trainer.runDir);
        entry?.subscriptions.forEach((s) => s.dispose());
        this.followed.delete(trainer.runDir);
        trainer.dispose();
        if (this.current === trainer) this.current = this.running[this.running.length - 1];
        this.render();
        this.onChange();
        this.onDidChange.fire();
    }

    private async ended(trainer: TrainerAttachment, outcome: RunOutcome): Promise<void> {
        this.forget(trainer);
        this.log.info(outcome.message);
        if (outcome.kind !== 'failed') {
            const dashboard = 'Show Dashboard';
            const choice = await vscode.window.showInformationMessage(outcome.message, dashboard);
            if (choice === dashboard) await vscode.commands.executeCommand(DASHBOARD_COMMAND, trainer.runDir);
            return;
        }
        const showLog = 'Show Log';
        const choice = await vscode.window.showErrorMessage(outcome.message, showLog);
        if (choice !== showLog) return;
        if (outcome.cause) {
            const line = Math.max(0, outcome.cause.line - 1);
            await vscode.window.showTextDocument(vscode.Uri.file(outcome.cause.file), {
                selection: new vscode.Range(line, 0, line, 0),
                preview: true,
            });
        } else {
            this.log.show(true);
        }
    }

    /** Stops following (trainers keep running detached; the next window re-attaches). */
    dispose(): void {
        for (const { trainer, subscriptions } of this.followed.values()) {
            subscriptions.forEach((s) => s.dispose());
            trainer.dispose();
        }
        this.followed.clear();
        this.onDidChange.clear();
        this.item.dispose();
    }
}
