// The Runs view's data provider over a fake set of run directories (vscode-fake's TreeItem / ThemeIcon): every run
// under runs/ and the followed ones from elsewhere, each with its state and step, the row's context value (which
// package.json's inline actions match) and its click command; refreshed by run.json / launch.json changes and by
// followed trainers.
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { VscodeFake } from '../vscode-fake.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { copyFixtureRunWithShapley, FIXTURE_RUN, freezeAgent } from '../../analysis/run-dir/fixture-run.js';
import { tempDir } from '../helpers.js';

const fake = vi.hoisted(() => ({ current: undefined as VscodeFake | undefined }));
vi.mock('vscode', async () => {
    const { createVscodeFake } = await import('../vscode-fake.js');
    fake.current = createVscodeFake();
    return fake.current.vscode;
});

const { COMMAND_IDS } = await import('../../../protocol/commands.js');
const { RunsTreeProvider, registerRunsView, RUN_CONTEXT_VALUES, RUNS_VIEW_ID } =
    await import('../../../client/src/runs/runs-view.js');
const { duration, readRunState } = await import('../../../client/src/runs/run-state.js');
type Item = import('../vscode-fake.js').TreeItem;

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function runJson(status: string, done: number, total: number, credit = 'outcome'): object {
    return {
        version: 1,
        status,
        error: status === 'failed' ? 'boom' : null,
        workflow: 'LazyTeam',
        started_at: 1_000,
        updated_at: 1_000 + done * 30,
        steps_completed: done,
        steps_total: total,
        spec: { train: { credit: { method: credit, params: {} } } },
    };
}

/** A workspace with six run directories in every state, a folder that is no run, and a run outside it. */
function fakeRuns() {
    const tmp = tempDir('mas-runs-view-');
    cleanups.push(tmp.cleanup);
    const ws = path.join(tmp.dir, 'ws');
    const runs = path.join(ws, 'runs');
    const run = (name: string, files: Record<string, unknown>) => {
        const dir = path.join(runs, name);
        mkdirSync(dir, { recursive: true });
        for (const [file, value] of Object.entries(files))
            writeFileSync(path.join(dir, file), typeof value === 'string' ? value : JSON.stringify(value));
        return dir;
    };
    const dirs = {
        complete: run('lazy-20260101-000001', { 'run.json': runJson('finished', 40, 40, 'shapley') }),
        running: run('lazy-20260101-000002', { 'run.json': runJson('running', 12, 40) }),
        interrupted: run('lazy-20260101-000003', { 'run.json': runJson('running', 7, 40) }),
        stopped: run('lazy-20260101-000004', { 'run.json': runJson('stopped', 20, 40) }),
        failed: run('lazy-20260101-000005', { 'run.json': runJson('failed', 1, 40) }),
        neverStarted: run('lazy-20260101-000006', {
            'launch.json': '{}',
            'process.log': 'Traceback (most recent call last):\nRuntimeError: CUDA error\n',
        }),
        // A hostile run.json (fields of the wrong type) is shown as a run that wrote nothing usable, never a crash.
        hostile: run('lazy-20260101-000007', { 'run.json': '{"status": 7, "workflow": {"__proto__": 1}}' }),
    };
    mkdirSync(path.join(runs, 'notes')); // no run.json / metrics.jsonl / launch.json: not a run
    const elsewhere = path.join(tmp.dir, 'copied-run');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'run.json'), JSON.stringify(runJson('running', 3, 10)));
    const alive = new Set([dirs.running, elsewhere]);
    return {
        ws,
        dirs,
        elsewhere,
        source: { folders: () => [ws], followed: () => [elsewhere], alive: (d: string) => alive.has(d) },
    };
}

const row = (provider: InstanceType<typeof RunsTreeProvider>, dir: string) =>
    provider.getTreeItem(fake.current!.vscode.Uri.file(dir) as never) as unknown as Item;

describe('Runs view', () => {
    it("lists every run of the workspace's runs/ (newest first) and the followed runs from elsewhere", async () => {
        const { dirs, elsewhere, source } = fakeRuns();
        const provider = new RunsTreeProvider(source);
        const children = provider.runs().map((u) => u.fsPath);
        expect(children).toEqual([
            dirs.hostile,
            dirs.neverStarted,
            dirs.failed,
            dirs.stopped,
            dirs.interrupted,
            dirs.running,
            dirs.complete,
            elsewhere,
        ]);
        // Without a run reader, a run row opens onto nothing (and is not drawn expandable).
        expect(await provider.getChildren(provider.runs()[0])).toEqual([]);
        expect(row(provider, dirs.complete).collapsibleState).toBe(0);
    });

    it('shows each run with its state, step n/N and credit method; the row context values the manifest matches', () => {
        const { dirs, elsewhere, source } = fakeRuns();
        const provider = new RunsTreeProvider(source);
        provider.runs();
        const shown = (dir: string) => {
            const item = row(provider, dir);
            return [item.label, item.description, item.contextValue, item.iconPath?.id];
        };
        expect(shown(dirs.complete)).toEqual([
            'lazy-20260101-000001',
            'complete · step 40/40 · shapley · 20 min',
            'masRun.complete',
            'pass',
        ]);
        expect(shown(dirs.running)).toEqual([
            'lazy-20260101-000002',
            'running · step 12/40 · outcome · 6 min',
            'masRun.running',
            'sync~spin',
        ]);
        // run.json says running but no trainer is alive: killed, resumable.
        expect(shown(dirs.interrupted)).toEqual([
            'lazy-20260101-000003',
            'interrupted · step 7/40 · outcome · 4 min',
            'masRun.interrupted',
            'debug-pause',
        ]);
        expect(shown(dirs.stopped)[1]).toBe('stopped · step 20/40 · outcome · 10 min');
        expect(shown(dirs.failed)[2]).toBe('masRun.failed');
        expect(shown(dirs.neverStarted)).toEqual([
            'lazy-20260101-000006',
            'failed to start: RuntimeError: CUDA error',
            'masRun.failed',
            'error',
        ]);
        expect(shown(dirs.hostile)[2]).toBe('masRun.failed');
        expect(shown(elsewhere)).toEqual([
            'copied-run',
            'running · step 3/10 · outcome · 2 min',
            'masRun.running',
            'sync~spin',
        ]);
        for (const dir of Object.values(dirs)) expect(RUN_CONTEXT_VALUES).toContain(row(provider, dir).contextValue);
        // A click opens the run's dashboard; the row's argument is the run directory's Uri, as every command takes.
        const click = row(provider, dirs.running).command!;
        expect(click.command).toBe(COMMAND_IDS.showDashboard);
        expect((click.arguments![0] as { fsPath: string }).fsPath).toBe(dirs.running);
        expect(row(provider, dirs.running).tooltip).toBe(
            `${dirs.running}\nworkflow LazyTeam\nrunning · step 12/40 · outcome · 6 min`,
        );
    });

    it('says how long a run took from run.json, and nothing when its times are not numbers', () => {
        expect(duration(0, 42)).toBe('42 s');
        expect(duration(0, 90 * 60 - 1)).toBe('90 min');
        expect(duration(0, 3.5 * 3600)).toBe('3.5 h');
        expect(duration('0', 10)).toBeUndefined();
        expect(duration(10, 0)).toBeUndefined();
        expect(duration(0, Infinity)).toBeUndefined();
    });

    it("opens a run onto its agent summary: each agent's share, the lazy agent flagged; an unreadable run says why", async () => {
        const tmp = tempDir('mas-runs-summary-');
        cleanups.push(tmp.cleanup);
        const runs = path.join(tmp.dir, 'runs');
        mkdirSync(runs);
        const shapley = copyFixtureRunWithShapley(path.join(runs, 'lazy-team-shapley'));
        const outcomeOnly = path.join(runs, 'lazy-team-outcome');
        cpSync(FIXTURE_RUN, outcomeOnly, { recursive: true });
        const broken = path.join(runs, 'lazy-team-broken');
        mkdirSync(broken);
        writeFileSync(path.join(broken, 'run.json'), JSON.stringify(runJson('finished', 3, 3)));
        const reader = new RunDirService();
        const provider = new RunsTreeProvider({
            folders: () => [tmp.dir],
            followed: () => [],
            alive: () => false,
            index: (dir) => reader.index(dir),
        });
        const [shapleyUri, outcomeUri, brokenUri] = provider.runs(); // newest name first
        expect(shapleyUri!.fsPath).toBe(shapley);
        expect(row(provider, shapley).collapsibleState).toBe(1);
        const details = (await provider.getChildren(shapleyUri)) as {
            label: string;
            description: string;
            flagged: boolean;
        }[];
        expect(details.map((d) => [d.label, d.description, d.flagged])).toEqual([
            // metrics.jsonl of the fixture: mean reward 0.042, 0, 0
            ['reward', 'final 0.000 (step 3) · best 0.042 (step 1)', false],
            ['first', '50 % of the credit under shapley', false],
            ['second', '50 % of the credit under shapley', false],
            ['lazy', 'lazy: 0 % of the credit under shapley, difference', true],
            ['summary', 'lazy is flagged lazy: under 5 % of the credit under each of shapley and difference.', false],
        ]);
        const rewardItem = provider.getTreeItem(details[0] as never) as unknown as Item;
        expect(rewardItem.iconPath?.id).toBe('graph-line');
        const lazyItem = provider.getTreeItem(details[3] as never) as unknown as Item;
        expect([lazyItem.iconPath?.id, lazyItem.contextValue]).toEqual(['warning', 'masRunDetail']);
        expect(lazyItem.command!.command).toBe(COMMAND_IDS.showTrajectories);
        expect((lazyItem.command!.arguments![0] as { fsPath: string }).fsPath).toBe(shapley);
        // Only outcome-family credit recorded: nobody is flagged, and the note says what to record.
        const outcome = (await provider.getChildren(outcomeUri)) as {
            label: string;
            description: string;
            flagged: boolean;
        }[];
        expect(outcome.some((d) => d.flagged)).toBe(false);
        expect(outcome.at(-1)!.description).toMatch(/^No agent is flagged: .*`credit: shapley`/);
        const unreadable = (await provider.getChildren(brokenUri)) as { label: string; description: string }[];
        expect(unreadable).toHaveLength(1);
        expect(unreadable[0]!.label).toBe('unreadable');
        expect(unreadable[0]!.description).toContain('run.json');
        await reader.dispose();
    });

    it('says a frozen agent is frozen in the run summary, and flags nobody for it', async () => {
        const tmp = tempDir('mas-runs-frozen-');
        cleanups.push(tmp.cleanup);
        const runs = path.join(tmp.dir, 'runs');
        mkdirSync(runs);
        const frozen = freezeAgent(copyFixtureRunWithShapley(path.join(runs, 'lazy-team-frozen')), 'lazy');
        const reader = new RunDirService();
        const provider = new RunsTreeProvider({
            folders: () => [tmp.dir],
            followed: () => [],
            alive: () => false,
            index: (dir) => reader.index(dir),
        });
        const details = (await provider.getChildren(provider.runs()[0])) as {
            label: string;
            description: string;
            flagged: boolean;
        }[];
        expect(details.filter((d) => d.label !== 'reward').map((d) => [d.label, d.description, d.flagged])).toEqual([
            ['first', '50 % of the credit under shapley', false],
            ['second', '50 % of the credit under shapley', false],
            ['lazy', 'frozen: never trained, no training credit', false],
            ['summary', 'No agent is flagged: none gets under 5 % of the credit under each of shapley and difference.', false],
        ]);
        expect(frozen).toBe(provider.runs()[0]!.fsPath);
        await reader.dispose();
    });

    it('the Open Run… picker and the view describe a run with the same line', () => {
        const { dirs, source } = fakeRuns();
        const provider = new RunsTreeProvider(source);
        provider.runs();
        expect(readRunState(dirs.stopped, source.alive).detail).toBe(row(provider, dirs.stopped).description);
    });

    it('refreshes when a run.json or launch.json under runs/ changes, and when a followed trainer changes', () => {
        const { source } = fakeRuns();
        let followedListener: (() => void) | undefined;
        const { provider, disposables } = registerRunsView(source, (listener) => {
            followedListener = listener;
            return { dispose: () => (followedListener = undefined) };
        });
        expect(fake.current!.treeViews.get(RUNS_VIEW_ID)).toBe(provider);
        const watcher = fake.current!.watchers.at(-1)!;
        expect(watcher.pattern).toBe('**/runs/*/{run.json,launch.json}');
        let refreshed = 0;
        provider.onDidChangeTreeData(() => refreshed++);
        watcher.fire('create');
        watcher.fire('change');
        watcher.fire('delete');
        followedListener!();
        expect(refreshed).toBe(4);
        disposables.forEach((d) => d.dispose());
        expect(followedListener).toBeUndefined();
        expect(fake.current!.treeViews.has(RUNS_VIEW_ID)).toBe(false);
    });
});
