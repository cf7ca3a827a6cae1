/**
 * Start / Stop / Open Run and re-attach on activation. Each command returns what it did (a value an
 * end-to-end test can assert on) and says why when it cannot act. Trust is enforced again below this layer
 * (launchTrainer, runCheckEnv, TrainerAttachment.attach): the checks here only give the friendlier message.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../protocol/commands.js';
import { LAUNCH_FILES } from '../../../protocol/launch.js';
import type { CompileResult, MasDiagnostic } from '../../../protocol/lsp.js';
import type { PythonEnvironment } from './python-env.js';
import { runDirProblem, workspaceRunDirs } from '../runs/run-directory.js';
import { pickRunDirectory } from '../runs/run-picker.js';
import { readRunState } from '../runs/run-state.js';
import type { AttachedTrainers } from './attached-trainers.js';
import { preflight } from './preflight.js';
import { refusePreflight } from './preflight-refusal.js';
import { createRunDir, runSourceFile, writeSpec } from './run-dir.js';
import { trainerRunArgs } from './trainer-args.js';
import { readRunStatus, TrainerAttachment, type AttachmentOptions } from './trainer-attachment.js';
import { UntrustedWorkspaceError, type TrustSource } from './trust.js';

export type StartResult = { started: true; runDir: string; pid: number } | { started: false; reason: string };

/** A code lens passes a URI string, menus pass a Uri, the palette passes nothing. */
export function toUri(arg: unknown): vscode.Uri | undefined {
    if (arg instanceof vscode.Uri) return arg;
    if (typeof arg === 'string' && arg.length > 0) {
        try {
            return vscode.Uri.parse(arg, true);
        } catch {
            return undefined;
        }
    }
    return undefined;
}

/** A folder argument: a Uri, a `file:` URI string or an absolute path (the status bar passes run dirs as paths). */
export function toPath(arg: unknown): string | undefined {
    if (typeof arg === 'string' && path.isAbsolute(arg)) return arg;
    const uri = toUri(arg);
    return uri?.scheme === 'file' ? uri.fsPath : undefined;
}

export function workflowTarget(arg: unknown): vscode.Uri | undefined {
    const given = toUri(arg);
    if (given) return given;
    const active = vscode.window.activeTextEditor?.document;
    if (active?.languageId === 'mas') return active.uri;
    // A walkthrough, a dashboard or another webview is in front (no active text editor; the walkthrough's Train
    // button started nothing): the .mas file shown beside it, else the first .mas tab, the active group's first.
    const visible = vscode.window.visibleTextEditors?.find((e) => e.document.languageId === 'mas');
    if (visible) return visible.document.uri;
    const groups = vscode.window.tabGroups;
    for (const group of groups ? [groups.activeTabGroup, ...groups.all] : []) {
        for (const tab of group?.tabs ?? []) {
            const uri = (tab.input as { uri?: unknown } | undefined)?.uri;
            if (uri instanceof vscode.Uri && uri.path.endsWith('.mas')) return uri;
        }
    }
    return undefined;
}

function firstProblem(diagnostics: MasDiagnostic[]): string {
    const d = diagnostics.find((x) => x.severity === 'error') ?? diagnostics[0];
    if (!d) return 'it does not compile';
    return `${path.basename(vscode.Uri.parse(d.uri).fsPath)}:${d.range.start.line + 1}: ${d.message}`;
}

export interface TrainingDeps {
    trust: TrustSource;
    python: PythonEnvironment;
    trainers: AttachedTrainers;
    compile: (uri: string) => Promise<CompileResult>;
    attachmentOptions?: AttachmentOptions;
}

export class TrainingController {
    constructor(private readonly deps: TrainingDeps) {}

    private refuseUntrusted(action: string): { started: false; reason: string } | undefined {
        if (this.deps.trust.isTrusted()) return undefined;
        const reason = new UntrustedWorkspaceError(action).message;
        void vscode.window
            .showWarningMessage(reason, 'Manage Workspace Trust')
            .then((c) => c && vscode.commands.executeCommand('workbench.trust.manage'));
        return { started: false, reason };
    }

    private fail(reason: string, ...actions: string[]): { started: false; reason: string } {
        void vscode.window.showErrorMessage(reason, ...actions).then((choice) => {
            if (choice === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
            if (choice === 'Show Log') this.deps.trainers.log.show(true);
        });
        return { started: false, reason };
    }

    /** "MAS: Start Training" on a .mas file (argument, else the active editor). */
    async start(arg?: unknown): Promise<StartResult> {
        const refused = this.refuseUntrusted('Starting training');
        if (refused) return refused;
        const uri = workflowTarget(arg);
        if (!uri || !uri.fsPath.endsWith('.mas')) {
            return this.fail(
                'MAS: open a .mas workflow (or use the Train code lens above its `workflow` line) to start training.',
            );
        }
        return vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'MAS: starting training', cancellable: true },
            async (progress, token) => {
                progress.report({ message: 'compiling the workflow…' });
                const document = await vscode.workspace.openTextDocument(uri); // the language server loads what is open
                if (document.isDirty) await document.save();
                const compiled = await this.deps.compile(uri.toString());
                if ('diagnostics' in compiled)
                    return this.fail(
                        `MAS: ${path.basename(uri.fsPath)} cannot be trained: ${firstProblem(compiled.diagnostics)}`,
                        'Show Problems',
                    );
                if (token.isCancellationRequested) return { started: false as const, reason: 'cancelled' };

                progress.report({ message: 'checking Python…' });
                const python = await this.deps.python.resolve(uri).catch((e: Error) => e);
                if (python instanceof Error) return this.fail(python.message, 'Show Log');
                const check = await this.deps.python.check(uri);
                if (!check.ok) {
                    // Not awaited: the report resolves when its toast is dismissed, and the progress toast must not wait.
                    void this.deps.python.report(check, false, compiled.spec.train.device === 'cuda');
                    return {
                        started: false as const,
                        reason: check.problems[0]?.message ?? 'environment check failed',
                    };
                }
                if (token.isCancellationRequested) return { started: false as const, reason: 'cancelled' };

                // Before any run directory exists: a refusal here leaves nothing behind (first-hour bug B6).
                const problems = preflight(compiled.spec, {
                    trusted: this.deps.trust.isTrusted(),
                    cudaAvailable: check.report?.cuda_available,
                    env: this.deps.python.env(),
                });
                if (problems.length > 0)
                    return refusePreflight(uri, problems, (line) => this.deps.trainers.log.info(line));

                progress.report({ message: 'launching the trainer…' });
                const folder = vscode.workspace.getWorkspaceFolder(uri)?.uri.fsPath ?? path.dirname(uri.fsPath);
                const runDir = createRunDir(path.join(folder, 'runs'), compiled.spec.workflow, new Date());
                const specFile = writeSpec(runDir, compiled.spec);
                const args = trainerRunArgs({ specFile, runDir, trainerRoot: this.deps.python.trainerRoot });
                this.deps.trainers.log.info(`launch: ${python.describe} ${JSON.stringify(args)} (cwd ${runDir})`);
                let trainer: TrainerAttachment;
                try {
                    trainer = await TrainerAttachment.launch(
                        { python: python.command, args, runDir, env: this.deps.python.env(), trust: this.deps.trust },
                        this.deps.attachmentOptions,
                    );
                } catch (error) {
                    return this.fail(`MAS: ${(error as Error).message}`, 'Show Log');
                }
                this.deps.trainers.add(trainer);

                // Keep the notification until the first step (or the end): loading a real model takes a while.
                progress.report({ message: `loading models… (run ${path.basename(runDir)})` });
                await new Promise<void>((resolve) => {
                    const subs = [
                        trainer.onProgress.on(() => done()),
                        trainer.onEnd.on(() => done()),
                        token.onCancellationRequested(() => {
                            void trainer.stop();
                            done();
                        }),
                    ];
                    function done(): void {
                        subs.forEach((s) => s.dispose());
                        resolve();
                    }
                    if (trainer.snapshot || trainer.outcome) done();
                });
                return { started: true as const, runDir, pid: trainer.pid };
            },
        );
    }

    /**
     * "MAS: Stop Training": the one running trainer, or the one the user picks. A run directory argument (status
     * bar, explorer) names its run; a .mas argument (the editor-title button) names the runs compiled from it, and
     * when none was, the user picks among the running ones rather than being told that nothing runs.
     */
    async stop(arg?: unknown): Promise<{ stopped: string[]; reason?: string }> {
        const running = this.deps.trainers.running;
        const target = toPath(arg);
        let wanted = target ? running.filter((s) => s.runDir === target) : running;
        let mustPick = false;
        if (target?.endsWith('.mas')) {
            wanted = running.filter((s) => runSourceFile(s.runDir) === target);
            if (wanted.length === 0) [wanted, mustPick] = [running, true];
        }
        if (wanted.length === 0) {
            const reason =
                'MAS: no training run is being followed in this window. Runs started elsewhere: use "MAS: Open Run…" to attach first.';
            void vscode.window.showInformationMessage(reason);
            return { stopped: [], reason };
        }
        let targets = wanted;
        if (wanted.length > 1 || mustPick) {
            const pick = await vscode.window.showQuickPick(
                wanted.map((s) => ({ label: path.basename(s.runDir), description: `pid ${s.pid}`, trainer: s })),
                { title: 'MAS: stop which run?', canPickMany: true },
            );
            if (!pick || pick.length === 0) return { stopped: [], reason: 'cancelled' };
            targets = pick.map((p) => p.trainer);
        }
        await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'MAS: stopping training…' },
            () => Promise.all(targets.map((s) => s.stop())),
        );
        return { stopped: targets.map((s) => s.runDir) };
    }

    /** Runs under each workspace folder's runs/ (newest first). */
    private knownRuns(): string[] {
        return workspaceRunDirs((vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath));
    }

    /** On activation and when trust is granted: follow every run whose trainer is still alive. */
    reattachAll(): string[] {
        if (!this.deps.trust.isTrusted()) return [];
        const attached: string[] = [];
        for (const runDir of this.knownRuns()) {
            if (this.deps.trainers.find(runDir)) continue;
            const trainer = TrainerAttachment.attach(runDir, this.deps.trust, this.deps.attachmentOptions);
            if (!trainer) continue;
            this.deps.trainers.add(trainer);
            this.deps.trainers.log.info(`re-attached to ${runDir} (pid ${trainer.pid})`);
            attached.push(runDir);
        }
        return attached;
    }

    /** "MAS: Open Run…": pick a run; follow it when its trainer is alive, offer Resume when it is not finished. */
    async openRun(arg?: unknown): Promise<{ runDir?: string; following: boolean; resumed?: StartResult }> {
        const runDir =
            toPath(arg) ??
            (await pickRunDirectory({
                openLabel: 'Open Run',
                // The Runs view's description of each run (a killed trainer's "running" reads "interrupted").
                known: () =>
                    this.knownRuns().map((dir) => {
                        const state = readRunState(dir, (d) => TrainerAttachment.trainerAlive(d));
                        return { label: state.name, description: state.detail, runDir: dir };
                    }),
            }));
        if (!runDir) return { following: false };
        const problem = runDirProblem(runDir);
        if (problem) {
            void vscode.window.showErrorMessage(`MAS: ${problem}`);
            return { runDir, following: false };
        }
        let following = !!this.deps.trainers.find(runDir);
        if (!following && this.deps.trust.isTrusted()) {
            const trainer = TrainerAttachment.attach(runDir, this.deps.trust, this.deps.attachmentOptions);
            if (trainer) {
                this.deps.trainers.add(trainer);
                following = true;
            }
        }
        await vscode.commands.executeCommand(COMMAND_IDS.showDashboard, runDir);
        const run = readRunStatus(runDir);
        if (!following && run && run.status !== 'finished' && existsSync(path.join(runDir, LAUNCH_FILES.spec))) {
            const resume = 'Resume';
            const choice = await vscode.window.showInformationMessage(
                `MAS: run ${path.basename(runDir)} is not running (${run.steps_completed}/${run.steps_total} steps, status ${run.status}).`,
                resume,
            );
            if (choice === resume) return { runDir, following: false, resumed: await this.resume(runDir) };
        }
        return { runDir, following };
    }

    /** Continues a run from its newest checkpoint with the spec it was started with. */
    async resume(runDir: string): Promise<StartResult> {
        const refused = this.refuseUntrusted('Resuming training');
        if (refused) return refused;
        const check = await this.deps.python.check();
        if (!check.ok) {
            await this.deps.python.report(check, false);
            return { started: false, reason: check.problems[0]?.message ?? 'environment check failed' };
        }
        const python = await this.deps.python.resolve();
        const args = trainerRunArgs({
            specFile: path.join(runDir, LAUNCH_FILES.spec),
            runDir,
            trainerRoot: this.deps.python.trainerRoot,
            resume: true,
        });
        try {
            const trainer = await TrainerAttachment.launch(
                { python: python.command, args, runDir, env: this.deps.python.env(), trust: this.deps.trust },
                this.deps.attachmentOptions,
            );
            this.deps.trainers.add(trainer);
            return { started: true, runDir, pid: trainer.pid };
        } catch (error) {
            return this.fail(`MAS: ${(error as Error).message}`, 'Show Log');
        }
    }
}
