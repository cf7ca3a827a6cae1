/**
 * Builds the training side of the extension (Python, followed sessions, start/stop/open) and the handlers of
 * all MAS commands. The webview panels are supplied by their own module (client/src/panels/) through
 * `PanelOpeners`; until they are, their commands say so.
 */
import * as vscode from 'vscode';
import type { CompileResult } from '../../protocol/lsp.js';
import { COMMAND_IDS, unavailable, type CommandHandlers } from './commands.js';
import { PythonEnvironment } from './python-env.js';
import { SessionView } from './session-view.js';
import { TrainingController, toPath, workflowTarget } from './training-controller.js';
import type { TrustSource } from './training/trust.js';

/** What the panels module offers; each returns what it showed (for tests) or a problem sentence. */
export interface PanelOpeners {
    showDashboard(runDir: string | undefined): Promise<unknown>;
    showGraph(document: vscode.Uri): Promise<unknown>;
}

export class TrainingFeature implements vscode.Disposable {
    readonly log: vscode.LogOutputChannel;
    readonly python: PythonEnvironment;
    readonly view: SessionView;
    readonly controller: TrainingController;
    private readonly disposables: vscode.Disposable[] = [];
    private panels: PanelOpeners | undefined;

    constructor(extension: vscode.ExtensionContext, compile: (uri: string) => Promise<CompileResult>) {
        const trust: TrustSource = { isTrusted: () => vscode.workspace.isTrusted };
        this.log = vscode.window.createOutputChannel('MAS Trainer', { log: true });
        this.python = new PythonEnvironment(extension.extensionUri.fsPath, trust, this.log);
        this.view = new SessionView(this.log, () => {
            void vscode.commands.executeCommand('setContext', 'mas.trainingRunning', this.view.running.length > 0);
        });
        this.controller = new TrainingController({ trust, python: this.python, view: this.view, compile });
        this.disposables.push(this.log, this.python, this.view,
            vscode.workspace.onDidGrantWorkspaceTrust(() => this.reattach()));
    }

    /** Called by the panels module once it is wired in. */
    setPanels(panels: PanelOpeners): void {
        this.panels = panels;
    }

    /** Follows runs still alive from an earlier window; never throws (activation must go on). */
    reattach(): string[] {
        try {
            return this.controller.reattachAll();
        } catch (error) {
            this.log.error(`re-attach failed: ${(error as Error).message}`);
            return [];
        }
    }

    handlers(): CommandHandlers {
        return {
            [COMMAND_IDS.startTraining]: (arg) => this.controller.start(arg),
            [COMMAND_IDS.stopTraining]: (arg) => this.controller.stop(arg),
            [COMMAND_IDS.openRun]: (arg) => this.controller.openRun(arg),
            [COMMAND_IDS.selectPython]: async () => ({ pythonPath: await this.python.selectInterpreter() }),
            [COMMAND_IDS.checkEnv]: async () => {
                if (!vscode.workspace.isTrusted) return unavailable('MAS: checking the trainer environment runs Python, which is disabled in an untrusted workspace. Trust the workspace to use it.');
                return this.python.showCheck(vscode.window.activeTextEditor?.document.uri);
            },
            [COMMAND_IDS.showDashboard]: async (arg) => {
                if (!this.panels) return unavailable('MAS: the training dashboard is not part of this build yet (its webview has not been wired in).');
                const runDir = toPath(arg) ?? this.view.running[this.view.running.length - 1]?.runDir;
                return this.panels.showDashboard(runDir);
            },
            [COMMAND_IDS.showGraph]: async (arg) => {
                if (!this.panels) return unavailable('MAS: the workflow graph view is not part of this build yet (its webview has not been wired in).');
                const uri = workflowTarget(arg);
                if (!uri) return unavailable('MAS: open a .mas workflow (or use the "Show graph" code lens) to see its graph.');
                return this.panels.showGraph(uri);
            },
        };
    }

    dispose(): void {
        for (const d of this.disposables.splice(0).reverse()) d.dispose();
    }
}
