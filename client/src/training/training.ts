/**
 * The training side of the extension host: the trainer's Python, the trainers this window follows (status bar,
 * log channel, end notifications) and Start / Stop / Open Run. It owns nothing: what it creates goes into the
 * scope the context object gives it.
 */
import * as vscode from 'vscode';
import type { CompileResult } from '../../../protocol/lsp.js';
import { PythonEnvironment } from './python-env.js';
import type { RunFollowers } from '../runs/run-followers.js';
import type { DisposableScope } from '../scope.js';
import { AttachedTrainers } from './attached-trainers.js';
import { TrainingController } from './training-controller.js';
import type { TrustSource } from './trust.js';

export class Training {
    readonly log: vscode.LogOutputChannel;
    readonly python: PythonEnvironment;
    readonly trainers: AttachedTrainers;
    readonly controller: TrainingController;
    private readonly extension: vscode.ExtensionContext;

    /** `followers`: shared with the dashboard; by default the training side's own. */
    constructor(
        extension: vscode.ExtensionContext,
        compile: (uri: string) => Promise<CompileResult>,
        scope: DisposableScope,
        followers?: RunFollowers,
    ) {
        const trust: TrustSource = { isTrusted: () => vscode.workspace.isTrusted };
        this.extension = extension;
        this.log = scope.push(vscode.window.createOutputChannel('MAS Trainer', { log: true }));
        this.python = scope.push(new PythonEnvironment(extension.extensionUri.fsPath, trust, this.log));
        this.trainers = scope.push(
            new AttachedTrainers(this.log, () => {
                void vscode.commands.executeCommand(
                    'setContext',
                    'mas.trainingRunning',
                    this.trainers.running.length > 0,
                );
            }),
        );
        this.controller = new TrainingController({
            trust,
            python: this.python,
            trainers: this.trainers,
            compile,
            ...(followers ? { attachmentOptions: { followers } } : {}),
        });
        scope.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this.reattach()));
    }

    /** The extension's global storage: where "Set Up Trainer Environment" puts an environment for every workspace. */
    get storageDir(): string {
        return this.extension.globalStorageUri.fsPath;
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
}
