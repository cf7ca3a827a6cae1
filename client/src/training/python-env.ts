/**
 * The trainer's Python in VS Code terms: reads the setting and the Python extension's interpreter, runs
 * check-env (cached per interpreter until the setting changes), and the "Select Python Interpreter" /
 * "Check Trainer Environment" commands. The order and the advice live in training/ (tested without VS Code).
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { COMMAND_IDS } from '../../../protocol/commands.js';
import { describeEnv, runCheckEnv, type EnvCheck } from './check-env.js';
import { discoverHere } from './env-setup-command.js';
import { cudaDeviceOffsets } from './preflight.js';
import { resolvePython, venvPython, type ResolvedPython } from './python-resolve.js';
import { trainerEnv } from './trainer-args.js';
import type { TrustSource } from './trust.js';

export const PYTHON_SETTING = 'mas.trainer.pythonPath';

/** The subset of the Python extension's API used here (ms-python.python, `environments`). */
interface PythonExtensionApi {
    environments?: {
        getActiveEnvironmentPath(resource?: vscode.Uri): { path: string } | undefined;
        resolveEnvironment(env: { path: string } | string): Promise<{ executable?: { uri?: vscode.Uri } } | undefined>;
    };
}

async function pythonFromExtension(resource: vscode.Uri | undefined): Promise<string | undefined> {
    const extension = vscode.extensions.getExtension<PythonExtensionApi>('ms-python.python');
    if (!extension) return undefined;
    const api = extension.isActive ? extension.exports : await extension.activate();
    const environments = api?.environments;
    const active = environments?.getActiveEnvironmentPath(resource);
    if (!environments || !active) return undefined;
    const resolved = await environments.resolveEnvironment(active);
    return resolved?.executable?.uri?.fsPath ?? active.path;
}

export class PythonEnvironment implements vscode.Disposable {
    private readonly checks = new Map<string, EnvCheck>();
    private readonly subscription: vscode.Disposable;

    constructor(
        private readonly extensionPath: string,
        private readonly trust: TrustSource,
        private readonly log: vscode.LogOutputChannel,
    ) {
        this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
            if (e.affectsConfiguration(PYTHON_SETTING)) this.checks.clear();
        });
    }

    /** The trainer sources shipped with the extension; first on the trainer's sys.path (trainer-args.ts). */
    get trainerRoot(): string {
        return path.join(this.extensionPath, 'trainer');
    }

    env(): NodeJS.ProcessEnv {
        return trainerEnv(process.env);
    }

    async resolve(resource?: vscode.Uri): Promise<ResolvedPython> {
        const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
        return resolvePython({
            // Machine scope: a workspace's settings.json cannot point the trainer at a program of its choosing.
            setting: vscode.workspace.getConfiguration().inspect<unknown>(PYTHON_SETTING)?.globalValue,
            pythonExtension: () => pythonFromExtension(resource),
            venvRoots: [...folders, this.extensionPath],
            exists: existsSync,
            platform: process.platform,
        });
    }

    /** check-env for the resolved interpreter (trust checked inside runCheckEnv). */
    async check(resource?: vscode.Uri, force = false): Promise<EnvCheck> {
        const python = await this.resolve(resource);
        const cached = this.checks.get(python.command);
        if (cached && !force) return cached;
        this.log.info(`check-env with ${python.describe}`);
        const check = await runCheckEnv(python.command, {
            env: this.env(),
            trainerRoot: this.trainerRoot,
            trust: this.trust,
        });
        for (const line of describeEnv(check)) this.log.info(line);
        if (check.ok) this.checks.set(python.command, check);
        return check;
    }

    /** "MAS: Check Trainer Environment": the report as one notification, the fix as its first line. */
    async showCheck(resource?: vscode.Uri): Promise<EnvCheck> {
        const check = await vscode.window.withProgress(
            { location: vscode.ProgressLocation.Notification, title: 'MAS: checking the trainer environment…' },
            () => this.check(resource, true),
        );
        await this.report(check, true, workflowAsksForCuda(resource));
        return check;
    }

    /**
     * Shows problems (or, when `always`, the all-clear); offers the fix actions. The no-CUDA warning only when
     * the workflow asks for CUDA: on a CPU machine it was shown on every check although scratch models run there.
     */
    async report(check: EnvCheck, always: boolean, wantsCuda = false): Promise<void> {
        const facts = describeEnv({ ...check, problems: [] }).join(' · ');
        const problems = check.problems.filter((p) => wantsCuda || p.code !== 'no-cuda');
        const first = problems[0];
        if (!first) {
            if (always) void vscode.window.showInformationMessage(`MAS: trainer environment OK — ${facts}`);
            return;
        }
        const text = `MAS: ${first.message} ${first.fix}${problems.length > 1 ? ` (+${problems.length - 1} more in the log)` : ''}`;
        const select = 'Select Interpreter';
        const showLog = 'Show Log';
        const show = first.level === 'error' ? vscode.window.showErrorMessage : vscode.window.showWarningMessage;
        const choice = await show(text, select, showLog);
        if (choice === select) await vscode.commands.executeCommand(COMMAND_IDS.selectPython);
        if (choice === showLog) this.log.show(true);
    }

    /**
     * "MAS: Select Python Interpreter": the Python extension's interpreter, the environments found on this machine
     * (workspace venvs, virtualenvwrapper, conda, pyenv, system: interpreter-discovery.ts), browse, or set up a new
     * one; writes the user (machine-scope) setting.
     */
    async selectInterpreter(): Promise<string | undefined> {
        const candidates = new Map<string, string>();
        const fromExtension = await pythonFromExtension(vscode.window.activeTextEditor?.document.uri).catch(
            () => undefined,
        );
        if (fromExtension) candidates.set(fromExtension, "Python extension's interpreter");
        for (const found of discoverHere()) if (!candidates.has(found.path)) candidates.set(found.path, found.detail);
        const own = venvPython(this.extensionPath, process.platform);
        if (existsSync(own) && !candidates.has(own)) candidates.set(own, "the extension's trainer/.venv");
        candidates.set(process.platform === 'win32' ? 'python' : 'python3', 'first on PATH');
        const browse = { label: '$(folder-opened) Browse…', description: 'pick an interpreter file' };
        const setUp = { label: '$(add) Set Up a New Environment…', description: 'a venv with the trainer installed' };
        const items = [...candidates].map(([label, description]) => ({ label, description }));
        const picked = await vscode.window.showQuickPick([...items, setUp, browse], {
            title: 'MAS: Python interpreter for the trainer',
            placeHolder: 'The trainer needs Python 3.10+ with torch, transformers and peft',
        });
        if (!picked) return undefined;
        if (picked === setUp) {
            const result = (await vscode.commands.executeCommand(COMMAND_IDS.setupEnv)) as { python?: string };
            return result?.python;
        }
        let chosen = picked.label;
        if (picked === browse) {
            const files = await vscode.window.showOpenDialog({
                canSelectMany: false,
                title: 'Python interpreter',
                openLabel: 'Use for training',
            });
            if (!files?.[0]) return undefined;
            chosen = files[0].fsPath;
        }
        await this.useInterpreter(chosen);
        return chosen;
    }

    /** Points the trainer at `python` (the user's machine-scope setting) and checks it when the workspace allows. */
    async useInterpreter(python: string): Promise<void> {
        await vscode.workspace.getConfiguration().update(PYTHON_SETTING, python, vscode.ConfigurationTarget.Global);
        this.log.info(`${PYTHON_SETTING} set to ${python}`);
        if (vscode.workspace.isTrusted) await this.showCheck();
    }

    dispose(): void {
        this.subscription.dispose();
    }
}

/** Whether the .mas file (the active editor's, when the check runs from one) sets `device: cuda`. */
function workflowAsksForCuda(resource: vscode.Uri | undefined): boolean {
    if (resource?.scheme !== 'file' || !resource.fsPath.endsWith('.mas')) return false;
    try {
        return cudaDeviceOffsets(readFileSync(resource.fsPath, 'utf8')) !== undefined;
    } catch {
        return false;
    }
}
