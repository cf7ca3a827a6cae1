/**
 * What the user sees of followed runs: one status bar item (the latest session: step/total, reward, ETA;
 * click opens the dashboard), the trainer's output in the "MAS Trainer" log channel, and one notification
 * when a run ends — for a failure with "Show Log" opening the line that names the cause.
 */
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../protocol/commands.js';
import type { RunOutcome } from './training/run-outcome.js';
import { statusText } from './training/run-progress.js';
import type { TrainingSession } from './training/training-session.js';

const DASHBOARD_COMMAND = COMMAND_IDS.showDashboard;

export class SessionView implements vscode.Disposable {
    private readonly item: vscode.StatusBarItem;
    private readonly sessions = new Map<string, { session: TrainingSession; subscriptions: { dispose(): void }[]; command: vscode.Command }>();
    private current: TrainingSession | undefined;

    constructor(readonly log: vscode.LogOutputChannel, private readonly onChange: () => void) {
        this.item = vscode.window.createStatusBarItem('mas.training', vscode.StatusBarAlignment.Left, 50);
        this.item.name = 'MAS Training';
    }

    get running(): TrainingSession[] {
        return [...this.sessions.values()].map((s) => s.session);
    }

    find(runDir: string): TrainingSession | undefined {
        return this.sessions.get(runDir)?.session;
    }

    /** Shows a session and reports its end once. */
    add(session: TrainingSession): void {
        if (this.sessions.has(session.runDir)) return;
        const subscriptions = [
            session.onProgress.on(() => { if (session === this.current) this.render(); }),
            session.onLog.on((lines) => { for (const line of lines) this.log.appendLine(line); }),
            session.onEnd.on((outcome) => { void this.ended(session, outcome); }),
        ];
        const command = { title: 'Show Training Dashboard', command: DASHBOARD_COMMAND, arguments: [session.runDir] };
        this.sessions.set(session.runDir, { session, subscriptions, command });
        this.current = session;
        this.render();
        this.onChange();
    }

    private render(): void {
        const session = this.current;
        if (!session) {
            this.item.hide();
            return;
        }
        const snapshot = session.snapshot;
        this.item.text = statusText(session.workflow, snapshot);
        this.item.tooltip = `MAS training: ${session.runDir} (pid ${session.pid}). Click to open the training dashboard.`;
        // The same object every step: VS Code re-registers a status bar command whenever it is given a new object
        // and drops the old registration, so a click that raced a progress update used to do nothing.
        this.item.command = this.sessions.get(session.runDir)?.command;
        this.item.show();
    }

    private forget(session: TrainingSession): void {
        const entry = this.sessions.get(session.runDir);
        entry?.subscriptions.forEach((s) => s.dispose());
        this.sessions.delete(session.runDir);
        session.dispose();
        if (this.current === session) this.current = this.running[this.running.length - 1];
        this.render();
        this.onChange();
    }

    private async ended(session: TrainingSession, outcome: RunOutcome): Promise<void> {
        this.forget(session);
        this.log.info(outcome.message);
        if (outcome.kind !== 'failed') {
            const dashboard = 'Show Dashboard';
            const choice = await vscode.window.showInformationMessage(outcome.message, dashboard);
            if (choice === dashboard) await vscode.commands.executeCommand(DASHBOARD_COMMAND, session.runDir);
            return;
        }
        const showLog = 'Show Log';
        const choice = await vscode.window.showErrorMessage(outcome.message, showLog);
        if (choice !== showLog) return;
        if (outcome.cause) {
            const line = Math.max(0, outcome.cause.line - 1);
            await vscode.window.showTextDocument(vscode.Uri.file(outcome.cause.file), { selection: new vscode.Range(line, 0, line, 0), preview: true });
        } else {
            this.log.show(true);
        }
    }

    /** Stops following (trainers keep running detached; the next window re-attaches). */
    dispose(): void {
        for (const { session, subscriptions } of this.sessions.values()) {
            subscriptions.forEach((s) => s.dispose());
            session.dispose();
        }
        this.sessions.clear();
        this.item.dispose();
    }
}
