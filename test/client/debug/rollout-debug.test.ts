// "Debug this rollout" (trajectory view) and "Debug a Rollout" (Runs view) start the mas-trajectory debugger through
// one launcher (client/src/debug/rollout-debug.ts), which also saves the configuration in launch.json through VS
// Code's configuration API, once per identical entry; the saved entry then launches without any question.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FIXTURE_RUN } from '../../analysis/run-dir/fixture-run.js';
import type { PanelFake } from '../views/panel-fake.js';
import type { LaunchFake } from './launch-fake.js';

const fake = vi.hoisted(() => ({
    panels: undefined as PanelFake | undefined,
    launch: undefined as LaunchFake | undefined,
}));
vi.mock('vscode', async () => {
    const { createPanelFake } = await import('../views/panel-fake.js');
    const { createLaunchFake, ConfigurationTarget } = await import('./launch-fake.js');
    const panels = createPanelFake();
    const launch = createLaunchFake(panels.vscode.Uri);
    fake.panels = panels;
    fake.launch = launch;
    return {
        ...panels.vscode,
        ConfigurationTarget,
        DebugAdapterInlineImplementation: class {
            constructor(readonly implementation: unknown) {}
        },
        window: { ...panels.vscode.window, ...launch.window },
        // Object.assign keeps the launch fake's workspaceFolders getter live.
        workspace: Object.assign(launch.workspace, {
            onDidChangeTextDocument: panels.vscode.workspace.onDidChangeTextDocument,
        }),
        debug: launch.debug,
    };
});

const { RunDirService } = await import('../../../analysis/run-dir/service.js');
const { TrajectoryPanels } = await import('../../../client/src/views/trajectory/trajectory-panels.js');
const { debugRollout } = await import('../../../client/src/debug/rollout-debug.js');
const { registerTrajectoryDebugger } = await import('../../../client/src/debug/register.js');
const { commandTable } = await import('../../../client/src/command-table.js');
const { Uri } = await import('../views/panel-fake.js');

let workspace: string;
let run: string;
let launch: LaunchFake;
const cleanups: (() => void)[] = [];

beforeEach(() => {
    launch = fake.launch!;
    launch.started.length = 0;
    launch.updates.length = 0;
    launch.quickPicks.length = 0;
    launch.warnings.length = 0;
    launch.state.launchJson.clear();
    launch.state.startResult = true;
    launch.state.updateError = undefined;
    launch.state.isTrusted = true;
    launch.state.userLaunch = undefined;
    workspace = mkdtempSync(path.join(tmpdir(), 'mas-debug-ws-'));
    run = path.join(workspace, 'runs', 'demo');
    cpSync(FIXTURE_RUN, run, { recursive: true });
    launch.setFolders(workspace);
    cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
});
afterEach(() => cleanups.splice(0).forEach((c) => c()));

/** The launch.json entry for `run` at step/rollout, as saved: the run directory relative to the folder. */
const savedEntry = (step: number, rollout: number) => ({
    type: 'mas-trajectory',
    request: 'launch',
    name: `Debug demo · step ${step} · rollout ${rollout}`,
    runDir: '${workspaceFolder}/runs/demo',
    step,
    rollout,
    stopOnEntry: true,
});

/** A trajectory view on `run`, loaded (its `ready` answered), as the extension opens it. */
async function openView() {
    const panels = new TrajectoryPanels(
        {
            extension: { extensionUri: Uri.file('/ext') } as never,
            output: { appendLine: () => undefined } as never,
            compile: async () => {
                throw new Error('not used');
            },
        },
        new RunDirService(),
        { available: async () => false } as never,
    );
    cleanups.push(() => panels.dispose());
    panels.show(run);
    const panel = fake.panels!.panels.at(-1)!;
    const loaded = panel.nextPost((m) => m.type === 'trajectory/run');
    panel.send({ type: 'ready' });
    await loaded;
    return Object.assign(panel, { views: panels });
}

describe('Debug this rollout', () => {
    it("starts the debugger on the view's run, step and rollout and saves one launch.json entry per rollout", async () => {
        const panel = await openView();
        // The view is untrusted: a malformed request is dropped, the next good one is the first to start anything.
        panel.send({ type: 'trajectory/debugRollout', step: -1, rollout: 'x' });
        panel.send({ type: 'trajectory/debugRollout', step: 3, rollout: 2 });
        await launch.startedCount(1);
        expect(launch.started).toEqual([
            {
                folder: workspace,
                // The session gets the absolute run directory, which the trajectory and Runs views compare with theirs.
                config: { ...savedEntry(3, 2), runDir: run },
            },
        ]);
        expect(launch.state.launchJson.get(workspace)).toEqual([savedEntry(3, 2)]);
        expect(launch.updates).toEqual([{ folder: workspace, key: 'configurations', target: 3 }]);

        // The same rollout again: debugged again, no second identical entry.
        panel.send({ type: 'trajectory/debugRollout', step: 3, rollout: 2 });
        await launch.startedCount(2);
        expect(launch.state.launchJson.get(workspace)).toEqual([savedEntry(3, 2)]);
        panel.send({ type: 'trajectory/debugRollout', step: 1, rollout: 0 });
        await launch.startedCount(3);
        expect(launch.state.launchJson.get(workspace)).toEqual([savedEntry(3, 2), savedEntry(1, 0)]);
        expect(launch.started).toHaveLength(3);
    });

    it('tells the view when VS Code did not start the session', async () => {
        const panel = await openView();
        launch.state.startResult = false;
        const notice = panel.nextPost((m) => m.type === 'trajectory/notice');
        panel.send({ type: 'trajectory/debugRollout', step: 2, rollout: 1 });
        expect(await notice).toEqual({
            type: 'trajectory/notice',
            severity: 'warning',
            message: 'MAS: the debugger did not start on demo.',
        });
    });

    it('the saved entry launches without asking for a run, a step or a rollout', async () => {
        await debugRollout(run, 3, 2);
        const [entry] = launch.state.launchJson.get(workspace) as Record<string, unknown>[];
        const pickRunDirectory = vi.fn(async () => run);
        registerTrajectoryDebugger({
            reader: new RunDirService(),
            onTurn: () => undefined,
            onEnded: () => undefined,
            pickRunDirectory,
            compileExpression: async () => {
                throw new Error('not used');
            },
        });
        const provider = launch.providers.get('mas-trajectory')!;
        const resolved = await provider.resolveDebugConfiguration!(launch.state.folders[0], { ...entry! });
        expect(resolved).toEqual(savedEntry(3, 2));
        expect(pickRunDirectory).not.toHaveBeenCalled();
        expect(launch.quickPicks).toEqual([]);
        // Without the saved fields it does ask (the three questions this entry spares).
        await provider.resolveDebugConfiguration!(launch.state.folders[0], {
            type: 'mas-trajectory',
            request: 'launch',
        });
        expect(pickRunDirectory).toHaveBeenCalledTimes(1);
        expect(launch.quickPicks).toHaveLength(1);
    });

    it('in an untrusted workspace (debugging disabled) it says so and writes nothing', async () => {
        const panel = await openView();
        launch.state.isTrusted = false;
        const notice = panel.nextPost((m) => m.type === 'trajectory/notice');
        panel.send({ type: 'trajectory/debugRollout', step: 2, rollout: 1 });
        expect((await notice)['message']).toMatch(/^MAS: debugging is disabled in an untrusted workspace/);
        expect(launch.started).toEqual([]);
        expect(launch.updates).toEqual([]);
    });

    it("adds to the folder's own launch.json only, never copying the user's launch settings into it", async () => {
        launch.state.userLaunch = [{ type: 'node', request: 'launch', name: 'user-level' }];
        await debugRollout(run, 1, 0);
        expect(launch.state.launchJson.get(workspace)).toEqual([savedEntry(1, 0)]);
    });

    it('in a window with no folder it only launches', async () => {
        launch.setFolders();
        expect(await debugRollout(run, 1, 0)).toEqual({ debugging: run, launchJson: 'no-folder' });
        expect(launch.started).toEqual([{ folder: undefined, config: { ...savedEntry(1, 0), runDir: run } }]);
        expect(launch.updates).toEqual([]);
    });

    it("keeps a hand-edited launch.json: its entries stay, a renamed identical entry counts, what it can't extend is left alone", async () => {
        const node = { type: 'node', request: 'launch', name: 'server', program: 'index.js' };
        const renamed = { ...savedEntry(3, 2), name: 'my rollout', runDir: run };
        launch.state.launchJson.set(workspace, [node, renamed]);
        expect((await debugRollout(run, 3, 2)).launchJson).toBe('exists');
        expect(await debugRollout(run, 3, 1)).toEqual({ debugging: run, launchJson: 'added' });
        expect(launch.state.launchJson.get(workspace)).toEqual([node, renamed, savedEntry(3, 1)]);

        launch.state.launchJson.set(workspace, { not: 'a list' });
        const refused = await debugRollout(run, 2, 0);
        expect(refused.launchJson).toEqual({
            refused: '"configurations" in launch.json is not a list; the entry was not saved.',
        });
        expect(refused.debugging).toBe(run);
        expect(launch.state.launchJson.get(workspace)).toEqual({ not: 'a list' });

        launch.state.launchJson.set(workspace, []);
        launch.state.updateError = 'EROFS: read-only file system';
        expect((await debugRollout(run, 2, 0)).launchJson).toEqual({
            refused: 'launch.json could not be updated: EROFS: read-only file system',
        });
        expect(launch.warnings).toHaveLength(2);
        expect(launch.started).toHaveLength(4);
    });
});

describe("Debug this Rollout (the trajectory view's context menu)", () => {
    it('debugs the right-clicked rollout of an open view through the same launcher; anything else is refused', async () => {
        const { views } = await openView();
        const context = { webview: 'mas.trajectory', webviewSection: 'rollout', runDir: run, step: 2, rollout: 1 };
        expect(await views.debugFromContext(context)).toEqual({ debugging: run, launchJson: 'added' });
        expect(launch.started).toEqual([{ folder: workspace, config: { ...savedEntry(2, 1), runDir: run } }]);
        expect(launch.state.launchJson.get(workspace)).toEqual([savedEntry(2, 1)]);
        // The context comes from the page: a run no view of this window shows, or a bad number, starts nothing.
        const refused = { unavailable: 'MAS: right-click a rollout in an open trajectory view to debug it.' };
        expect(await views.debugFromContext({ ...context, runDir: workspace })).toEqual(refused);
        expect(await views.debugFromContext({ ...context, step: '2' })).toEqual(refused);
        expect(await views.debugFromContext(undefined)).toEqual(refused);
        expect(launch.started).toHaveLength(1);
    });

    it("is contributed to the trajectory view's rollout context menu only, not to the palette", () => {
        const menus = (
            JSON.parse(readFileSync('package.json', 'utf8')) as {
                contributes: { menus: Record<string, { command: string; when?: string }[]> };
            }
        ).contributes.menus;
        expect(menus['webview/context']).toContainEqual({
            command: 'mas.trajectory.debugRollout',
            when: "webviewId == 'mas.trajectory' && webviewSection == 'rollout'",
        });
        expect(menus['commandPalette']).toContainEqual({ command: 'mas.trajectory.debugRollout', when: 'false' });
    });
});

describe('Debug a Rollout (Runs view)', () => {
    it('goes through the same launcher: the run from its first recorded step, saved in launch.json', async () => {
        const table = commandTable({} as never, {} as never);
        expect(await table.debugRun(run)).toEqual({ debugging: run, launchJson: 'added' });
        const entry = { type: 'mas-trajectory', request: 'launch', name: 'Debug demo', stopOnEntry: true };
        expect(launch.started).toEqual([{ folder: workspace, config: { ...entry, runDir: run } }]);
        expect(launch.state.launchJson.get(workspace)).toEqual([{ ...entry, runDir: '${workspaceFolder}/runs/demo' }]);
    });
});
