import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { RunReader } from '../../../analysis/run-dir/service.js';
import { resolveWorkflowSource } from '../../../analysis/run-dir/workflow-source.js';
import type { CompileExpression } from './evaluate-at-turn.js';
import { TrajectoryDebugSession, TURN_EVENT, type TurnEventBody } from './trajectory-session.js';

export const DEBUG_TYPE = 'mas-trajectory';

export interface DebugFeatureDeps {
    reader: RunReader;
    /** The trajectory view follows the debugger through this. */
    onTurn: (body: TurnEventBody) => void;
    /** A `mas-trajectory` session on this run directory ended. */
    onEnded: (runDir: string) => void;
    pickRunDirectory: () => Promise<string | undefined>;
    /** Breakpoint conditions and console expressions are compiled by the language server (`mas/compileExpression`). */
    compileExpression: CompileExpression;
}

async function readText(file: string): Promise<string> {
    // Open documents first, so breakpoints match unsaved edits of the .mas file.
    const open = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === file);
    if (open) return open.getText();
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(file)));
}

/** A launch config's `program` as given; the run's recorded source as the workspace has it (first-hour bug B2). */
function resolveProgram(file: string, recorded: boolean): string {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri.fsPath);
    const found = recorded ? resolveWorkflowSource(file, folders, existsSync).file : undefined;
    if (found) return found;
    if (path.isAbsolute(file)) return file;
    return folders[0] ? path.join(folders[0], file) : path.resolve(file);
}

/**
 * Registers the inline `mas-trajectory` debug adapter. VS Code disables debugging in untrusted workspaces; the
 * trajectory view steps on its own there.
 */
export function registerTrajectoryDebugger(deps: DebugFeatureDeps): vscode.Disposable[] {
    const factory: vscode.DebugAdapterDescriptorFactory = {
        createDebugAdapterDescriptor: () =>
            new vscode.DebugAdapterInlineImplementation(
                new TrajectoryDebugSession({
                    reader: deps.reader,
                    readText,
                    resolveProgram,
                    compileExpression: deps.compileExpression,
                }),
            ),
    };
    const provider: vscode.DebugConfigurationProvider = {
        provideDebugConfigurations: () => [
            {
                type: DEBUG_TYPE,
                request: 'launch',
                name: 'MAS: step through a trajectory',
                runDir: '${workspaceFolder}/runs/<run>',
                step: 1,
                rollout: 0,
                stopOnEntry: true,
            },
        ],
        resolveDebugConfiguration: async (_folder, config) => {
            if (!config.type && !config.request)
                Object.assign(config, {
                    type: DEBUG_TYPE,
                    request: 'launch',
                    name: 'MAS: step through a trajectory',
                    stopOnEntry: true,
                });
            if (config.type === DEBUG_TYPE && !config['runDir']) {
                const picked = await deps.pickRunDirectory();
                if (!picked) return undefined; // cancelled: no session
                config['runDir'] = picked;
                if (config['step'] === undefined && !(await pickStepAndRollout(deps.reader, config))) return undefined;
            }
            return config;
        },
    };
    return [
        vscode.debug.registerDebugAdapterDescriptorFactory(DEBUG_TYPE, factory),
        vscode.debug.registerDebugConfigurationProvider(DEBUG_TYPE, provider),
        vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
            if (event.session.type === DEBUG_TYPE && event.event === TURN_EVENT)
                deps.onTurn(event.body as TurnEventBody);
        }),
        vscode.debug.onDidTerminateDebugSession((session) => {
            const runDir: unknown = session.configuration['runDir'];
            if (session.type === DEBUG_TYPE && typeof runDir === 'string') deps.onEnded(runDir);
        }),
    ];
}

/** Asks which step and rollout to step through (a run picked interactively has none in its configuration). */
async function pickStepAndRollout(reader: RunReader, config: vscode.DebugConfiguration): Promise<boolean> {
    let index;
    try {
        index = await reader.index(config['runDir'] as string);
    } catch (error) {
        void vscode.window.showErrorMessage(`MAS: ${(error as Error).message}`);
        return false;
    }
    const step = await vscode.window.showQuickPick(
        index.steps.map((s) => ({ label: `step ${s.step}`, description: `${s.rollouts.length} rollouts`, step: s })),
        { title: 'MAS: which step?' },
    );
    if (!step) return false;
    const rollout = await vscode.window.showQuickPick(
        step.step.rollouts.map((r) => ({
            label: `rollout ${r.rollout}`,
            description: `group ${r.group} · reward ${r.reward.toFixed(3)}${r.success ? ' · success' : ''}`,
            rollout: r.rollout,
        })),
        { title: `MAS: which rollout of step ${step.step.step}?` },
    );
    if (!rollout) return false;
    config['step'] = step.step.step;
    config['rollout'] = rollout.rollout;
    return true;
}

/** Moves the active trajectory debug session to a turn chosen in the view; false when none is running there. */
export async function gotoTurnInDebugger(runDir: string, turn: number): Promise<boolean> {
    const session = vscode.debug.activeDebugSession;
    if (session?.type !== DEBUG_TYPE || session.configuration['runDir'] !== runDir) return false;
    await session.customRequest('mas/gotoTurn', { turn });
    return true;
}
