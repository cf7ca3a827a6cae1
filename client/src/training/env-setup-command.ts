/**
 * "MAS: Set Up Trainer Environment": asks where (a venv for MAS Studio in the extension's storage, a `.venv` in the
 * workspace, or the Python extension's "Create Environment"), with which base Python and which torch build, then
 * installs the trainer from the sources the extension ships, with progress, cancel and every line in the log, and
 * points `mas.trainer.pythonPath` at the result. Runs programs: refused in an untrusted workspace.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { runSetup, type SetupPlan, type SetupStep } from './env-setup.js';
import { discoverInterpreters, type DiscoveredInterpreter } from './interpreter-discovery.js';

export interface EnvSetupDeps {
    trainerRoot: string;
    /** The extension's global storage folder (one environment for every workspace). */
    storageDir: string;
    log: vscode.LogOutputChannel;
    /** Writes the interpreter setting and checks the environment. */
    useInterpreter(python: string): Promise<void>;
}

/** The interpreters found on this machine (interpreter-discovery.ts with the real file system). */
export function discoverHere(): DiscoveredInterpreter[] {
    return discoverInterpreters({
        workspaceFolders: (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath),
        home: homedir(),
        env: process.env,
        platform: process.platform,
        exists: existsSync,
        listDirs: (folder) => {
            try {
                return readdirSync(folder, { withFileTypes: true })
                    .filter((d) => d.isDirectory())
                    .map((d) => d.name);
            } catch {
                return [];
            }
        },
        readText: (file) => {
            try {
                return readFileSync(file, 'utf8').slice(0, 65_536);
            } catch {
                return undefined;
            }
        },
    });
}

/** Spawns one step, streaming its output to the log; `kill` stops it (cancel). */
function stepRunner(children: Set<ReturnType<typeof spawn>>) {
    return (step: SetupStep, log: (line: string) => void) =>
        new Promise<number | null>((resolve) => {
            const child = spawn(step.command, step.args, { stdio: ['ignore', 'pipe', 'pipe'] });
            children.add(child);
            const forward = (data: Buffer) => {
                for (const line of data.toString('utf8').split(/\r?\n/)) if (line.trim()) log(line);
            };
            child.stdout?.on('data', forward);
            child.stderr?.on('data', forward);
            child.on('error', (error) => {
                log(`cannot run ${step.command}: ${error.message}`);
                resolve(null);
            });
            child.on('close', (code) => {
                children.delete(child);
                resolve(code);
            });
        });
}

interface Where {
    label: string;
    description?: string;
    venvDir?: string;
    pythonExtension?: boolean;
}

async function pickWhere(storageDir: string): Promise<Where | undefined> {
    const items: Where[] = [
        {
            label: 'A new environment for MAS Studio',
            description: 'in the extension’s storage, shared by every workspace',
            venvDir: path.join(storageDir, 'trainer-venv'),
        },
        ...(vscode.workspace.workspaceFolders ?? []).map((f) => ({
            label: `A new .venv in ${f.name}`,
            description: path.join(f.uri.fsPath, '.venv'),
            venvDir: path.join(f.uri.fsPath, '.venv'),
        })),
    ];
    if (vscode.extensions.getExtension('ms-python.python'))
        items.push({ label: 'Create with the Python extension…', description: 'venv or conda', pythonExtension: true });
    return vscode.window.showQuickPick(items, { title: 'MAS: where should the trainer environment live?' });
}

async function pickBase(): Promise<string | undefined> {
    const found = discoverHere().filter((i) => i.kind !== 'workspace venv');
    const items = [
        { label: process.platform === 'win32' ? 'python' : 'python3', description: 'first on PATH' },
        ...found.map((i) => ({ label: i.path, description: `${i.kind} · ${i.detail}` })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
        title: 'MAS: base Python for the new environment (3.10 or newer)',
    });
    return picked?.label;
}

/** The Python extension's "Create Environment" (it asks venv/conda and the interpreter); its interpreter path. */
async function createWithPythonExtension(): Promise<string | undefined> {
    const result: unknown = await vscode.commands.executeCommand('python.createEnvironment');
    const created = (result as { path?: unknown } | undefined)?.path;
    return typeof created === 'string' ? created : undefined;
}

export async function setUpTrainerEnvironment(deps: EnvSetupDeps): Promise<{ python?: string; error?: string }> {
    if (!vscode.workspace.isTrusted)
        return {
            error: 'MAS: setting up the trainer environment runs Python and pip, which is disabled in an untrusted workspace.',
        };
    const where = await pickWhere(deps.storageDir);
    if (!where) return {};
    let plan: Omit<SetupPlan, 'cpuOnlyTorch'>;
    if (where.pythonExtension) {
        const existing = await createWithPythonExtension();
        if (!existing) return { error: 'MAS: the Python extension created no environment.' };
        plan = { base: existing, existing, trainerDir: deps.trainerRoot, platform: process.platform };
    } else {
        const base = await pickBase();
        if (!base || !where.venvDir) return {};
        plan = { base, venvDir: where.venvDir, trainerDir: deps.trainerRoot, platform: process.platform };
    }
    const torch = await vscode.window.showQuickPick(
        [
            {
                label: 'CPU build of torch',
                description: 'smaller download; scratch models and CPU training',
                cpu: true,
            },
            { label: 'Default torch (CUDA on Linux)', description: 'for training on an NVIDIA GPU', cpu: false },
        ],
        { title: 'MAS: which torch?' },
    );
    if (!torch) return {};
    const children = new Set<ReturnType<typeof spawn>>();
    const log = (line: string) => deps.log.info(line);
    deps.log.show(true);
    const outcome = await vscode.window.withProgress(
        {
            location: vscode.ProgressLocation.Notification,
            title: 'MAS: setting up the trainer environment',
            cancellable: true,
        },
        (progress, token) => {
            token.onCancellationRequested(() => {
                for (const child of children) child.kill();
            });
            return runSetup(
                { ...plan, cpuOnlyTorch: torch.cpu },
                stepRunner(children),
                log,
                (step, index, total) => progress.report({ message: `${index + 1}/${total}: ${step.title}…` }),
                () => token.isCancellationRequested,
            );
        },
    );
    if (!outcome.ok) {
        const error = `MAS: setting up the trainer environment failed while ${outcome.failedStep}${outcome.code === null ? '' : ` (exit ${outcome.code})`}; the log has pip's output.`;
        return { error };
    }
    await deps.useInterpreter(outcome.python);
    return { python: outcome.python };
}
