// The panel hosts driven through a stand-in `vscode` module (panel-fake.ts): page and resource limits, the ready
// handshake, debounced graph requests, stale answers, reveal by id, restore through serializers, run pickers.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { GraphModel } from '../../../protocol/graph-model.js';
import type { GraphResponse } from '../../../protocol/lsp.js';
import type { PanelFake } from './panel-fake.js';

const fake = vi.hoisted(() => ({ current: undefined as PanelFake | undefined }));
vi.mock('vscode', async () => {
    const { createPanelFake } = await import('./panel-fake.js');
    fake.current = createPanelFake();
    return fake.current.vscode;
});

const { MasPanels } = await import('../../../client/src/views/index.js');
const { DisposableScope } = await import('../../../client/src/scope.js');
const { RunFollowers } = await import('../../../client/src/runs/run-followers.js');
const { GRAPH_DEBOUNCE_MS } = await import('../../../client/src/views/graph/graph-panel.js');
const { Uri } = await import('./panel-fake.js');

const mathTeam = JSON.parse(
    readFileSync(new URL('../../fixtures/webview/graph-math-team.json', import.meta.url), 'utf8'),
) as GraphModel;
const metricsLine = readFileSync(new URL('../../fixtures/webview/metrics-signal.jsonl', import.meta.url), 'utf8').split(
    '\n',
)[0]!;
const docUri = Uri.parse(mathTeam.uri);
const flush = () => new Promise((resolve) => setImmediate(resolve));

const cleanups: (() => void)[] = [];
afterEach(() => {
    vi.useRealTimers();
    for (const c of cleanups.splice(0)) c();
});

function setup(requestGraph: (uri: string) => Promise<GraphResponse> = async () => mathTeam) {
    const logs: string[] = [];
    const request = vi.fn(requestGraph);
    const scope = new DisposableScope();
    const panels = new MasPanels(
        {
            extension: { extensionUri: Uri.file('/ext') } as never,
            output: { appendLine: (line: string) => logs.push(line) } as never,
            requestGraph: request,
            compile: async () => {
                throw new Error('not used by these panels');
            },
            followers: scope.push(new RunFollowers()),
        },
        scope,
    );
    cleanups.push(() => void scope.dispose());
    return { panels, logs, request, vs: fake.current! };
}

function runDir(lines: number): string {
    const dir = mkdtempSync(join(tmpdir(), 'mas-panel-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(
        join(dir, 'metrics.jsonl'),
        `${metricsLine}\n`
            .repeat(lines)
            .split('\n')
            .filter(Boolean)
            .map((l, i) => JSON.stringify({ ...JSON.parse(l), step: i + 1 }))
            .join('\n') + '\n',
    );
    return dir;
}

describe('graph panel host', () => {
    it('loads a CSP page limited to the bundle and posts nothing before the view is ready', async () => {
        const { panels, request, vs } = setup();
        panels.showGraph(docUri as never);
        const panel = vs.panels.at(-1)!;
        expect(panel.webview.options.enableScripts).toBe(true);
        expect(panel.webview.options.localResourceRoots?.map((u) => u.fsPath)).toEqual(['/ext/out/webview']);
        // The CSP sits in an attribute, so its quotes are HTML-escaped.
        expect(panel.webview.html).toMatch(/script-src &#39;nonce-[0-9a-f]{32}&#39;/);
        expect(panel.webview.html).toContain('https://file+.vscode-resource.test/ext/out/webview/graph.js');
        expect(panel.title).toBe('Graph: math-team.mas');
        expect(request).not.toHaveBeenCalled();
        const model = panel.nextPost((m) => m.type === 'graph/model');
        panel.send({ type: 'ready' });
        expect(await model).toEqual({ type: 'graph/model', model: mathTeam });
        expect(request).toHaveBeenCalledWith(mathTeam.uri);
    });

    it('asks again once per burst of edits to its document, after the debounce', async () => {
        const { panels, request, vs } = setup();
        panels.showGraph(docUri as never);
        const panel = vs.panels.at(-1)!;
        panel.send({ type: 'ready' });
        await flush();
        vi.useFakeTimers();
        request.mockClear();
        for (let i = 0; i < 3; i++) vs.textChanges.fire({ document: { uri: docUri } });
        vs.textChanges.fire({ document: { uri: Uri.parse('file:///workspace/other.mas') } });
        vi.advanceTimersByTime(GRAPH_DEBOUNCE_MS - 1);
        expect(request).not.toHaveBeenCalled();
        vi.advanceTimersByTime(1);
        expect(request).toHaveBeenCalledTimes(1);
    });

    it('never replaces a newer graph with a slower older answer', async () => {
        const answers: ((m: GraphModel) => void)[] = [];
        const { panels, vs } = setup(() => new Promise((resolve) => answers.push(resolve)));
        const graph = panels.showGraph(docUri as never);
        const panel = vs.panels.at(-1)!;
        panel.send({ type: 'ready' });
        const second = graph.refresh();
        answers[1]!({ ...mathTeam, workflow: 'newer' });
        await second;
        answers[0]!({ ...mathTeam, workflow: 'older' });
        await flush();
        expect(panel.ofType('graph/model').map((m) => (m['model'] as GraphModel).workflow)).toEqual(['newer']);
    });

    it('reveals a declaration looked up by id in its own model and ignores unknown ids and stray messages', async () => {
        const { panels, logs, vs } = setup();
        panels.showGraph(docUri as never);
        const panel = vs.panels.at(-1)!;
        const model = panel.nextPost((m) => m.type === 'graph/model');
        panel.send({ type: 'ready' });
        await model;
        panel.send({ type: 'graph/reveal', id: 'agent:solver' });
        panel.send({ type: 'graph/reveal', id: 'agent:nobody' });
        panel.send({ type: 'graph/reveal', id: { toString: 'x' } });
        panel.send('<script>');
        await flush();
        expect(vs.shown.map((s) => [s.uri.toString(), s.selection?.start.line, s.selection?.start.character])).toEqual([
            [mathTeam.uri, 25, 0],
        ]);
        expect(vs.revealedRanges.at(-1)?.end.line).toBe(30);
        expect(logs.filter((l) => l.startsWith('Ignored an unexpected message'))).toHaveLength(2);
    });

    it('says why there is no graph when the server is not running', async () => {
        const { panels, vs } = setup(async () => {
            throw new Error('the MAS language server is not running');
        });
        panels.showGraph(docUri as never);
        const panel = vs.panels.at(-1)!;
        const unavailable = panel.nextPost((m) => m.type === 'graph/unavailable');
        panel.send({ type: 'ready' });
        expect((await unavailable)['reason']).toBe('No graph: the MAS language server is not running');
    });

    it('is restored after a window reload from its state, and a state without a document closes it', async () => {
        const { panels, request, vs } = setup();
        const { FakePanel } = await import('./panel-fake.js');
        const restored = new FakePanel('mas.graph', 'x');
        await vs.serializers.get('mas.graph')!.deserializeWebviewPanel(restored, { view: 'graph', uri: mathTeam.uri });
        restored.send({ type: 'ready' });
        await flush();
        expect(request).toHaveBeenCalledWith(mathTeam.uri);
        const broken = new FakePanel('mas.graph', 'y');
        let closed = false;
        broken.onDidDispose(() => {
            closed = true;
        });
        await vs.serializers.get('mas.graph')!.deserializeWebviewPanel(broken, { view: 'graph', uri: 42 });
        expect(closed).toBe(true);
        expect(panels.showGraph(docUri as never)).toBeDefined();
    });
});

describe('dashboard panel host', () => {
    it('follows a run after the handshake, resends after the view reloads, and refuses a folder that is not a run', async () => {
        const { panels, vs } = setup();
        const dir = runDir(3);
        panels.showDashboard(dir);
        const panel = vs.panels.at(-1)!;
        expect(panel.posted).toEqual([]);
        panel.send({ type: 'ready' });
        expect(panel.ofType('dashboard/run')[0]).toMatchObject({ run: { slot: 'primary', runDir: dir } });
        expect(
            panel.ofType('dashboard/metrics').flatMap((m) => (m['records'] as { step: number }[]).map((r) => r.step)),
        ).toEqual([1, 2, 3]);

        panel.visible = false;
        panel.viewState.fire();
        panel.posted.length = 0;
        panel.visible = true;
        panel.send({ type: 'ready' });
        expect(
            panel.ofType('dashboard/metrics').flatMap((m) => (m['records'] as { step: number }[]).map((r) => r.step)),
        ).toEqual([1, 2, 3]);

        expect(() => panels.showDashboard(join(dir, 'missing'))).toThrow(/does not exist/);
        expect(() => panels.showDashboard(tmpdir())).toThrow(/not a run directory/);
        // A run the extension has just launched: only launch.json so far; its curves appear as the trainer writes.
        const launched = mkdtempSync(join(tmpdir(), 'mas-launched-'));
        cleanups.push(() => rmSync(launched, { recursive: true, force: true }));
        writeFileSync(join(launched, 'launch.json'), '{}');
        expect(() => panels.showDashboard(launched)).not.toThrow();
        const first = panel.nextPost((m) => m.type === 'dashboard/metrics');
        writeFileSync(join(launched, 'metrics.jsonl'), `${metricsLine}\n`);
        expect(((await first)['records'] as { step: number }[]).map((r) => r.step)).toEqual([1]);
    });

    it('picks a comparison run from a folder dialog and explains a wrong folder', async () => {
        const { panels, vs } = setup();
        panels.showDashboard(runDir(2));
        const panel = vs.panels.at(-1)!;
        panel.send({ type: 'ready' });
        vs.state.openDialogAnswer = [Uri.file(tmpdir())];
        panel.send({ type: 'dashboard/pickRun', slot: 'compare' });
        await flush();
        expect(vs.state.errors.at(-1)).toMatch(/is not a run directory/);
        const other = runDir(4);
        vs.state.openDialogAnswer = [Uri.file(other)];
        const compare = panel.nextPost(
            (m) => m.type === 'dashboard/run' && (m['run'] as { slot: string }).slot === 'compare-1',
        );
        panel.send({ type: 'dashboard/pickRun', slot: 'compare' });
        expect(await compare).toMatchObject({ run: { runDir: other } });
        // Each Compare With… adds one more run through the same picker.
        const third = runDir(3);
        vs.state.openDialogAnswer = [Uri.file(third)];
        const second = panel.nextPost(
            (m) => m.type === 'dashboard/run' && (m['run'] as { slot: string }).slot === 'compare-2',
        );
        panel.send({ type: 'dashboard/pickRun', slot: 'compare' });
        expect(await second).toMatchObject({ run: { runDir: third } });
        panel.send({ type: 'dashboard/removeRun', slot: 'compare-1' });
        expect(panel.posted.at(-1)).toEqual({ type: 'dashboard/clear', slot: 'compare-1' });
        expect(panels.showDashboard().feed.state().compareRunDirs).toEqual([third]);
        panel.send({ type: 'dashboard/clearCompare' });
        expect(panel.posted.at(-1)).toEqual({ type: 'dashboard/clear', slot: 'compare-2' });
    });

    it('offers the workspace’s runs not shown yet in the one run picker, and adds the chosen one', async () => {
        const { panels, vs } = setup();
        const workspace = mkdtempSync(join(tmpdir(), 'mas-ws-'));
        cleanups.push(() => rmSync(workspace, { recursive: true, force: true }));
        const [a, b, c] = ['2026-01-01-a', '2026-01-02-b', '2026-01-03-c'].map((name) => {
            const dir = join(workspace, 'runs', name);
            mkdirSync(dir, { recursive: true });
            writeFileSync(join(dir, 'metrics.jsonl'), `${metricsLine}\n`);
            return dir;
        });
        vs.vscode.workspace.workspaceFolders = [{ uri: Uri.file(workspace) }];
        cleanups.push(() => void (vs.vscode.workspace.workspaceFolders = []));
        panels.showDashboard(a);
        const panel = vs.panels.at(-1)!;
        panel.send({ type: 'ready' });
        vs.state.quickPicks.length = 0;
        const browse = vs.state.quickPickAnswer;
        cleanups.push(() => void (vs.state.quickPickAnswer = browse));
        vs.state.quickPickAnswer = (items) => items.find((i) => i.runDir === c);
        const added = panel.nextPost(
            (m) => m.type === 'dashboard/run' && (m['run'] as { slot: string }).slot === 'compare-1',
        );
        panel.send({ type: 'dashboard/pickRun', slot: 'compare' });
        expect(await added).toMatchObject({ run: { runDir: c } });
        panel.send({ type: 'dashboard/pickRun', slot: 'compare' });
        await flush();
        const [first, second] = vs.state.quickPicks.map((labels) => labels.slice(0, -1).sort());
        expect(first).toEqual(['2026-01-02-b', '2026-01-03-c']); // the main run is not offered
        expect(second).toEqual(['2026-01-02-b']); // nor a run already compared
        expect(vs.state.quickPicks[0]!.at(-1)).toMatch(/Browse/);
        expect(vs.state.quickPicks[1]).toContain('2026-01-02-b');
        expect(b.endsWith('2026-01-02-b')).toBe(true);
    });

    it('Compare in Dashboard (a Runs view row): opens the dashboard on the run, then overlays each further run on it', async () => {
        const { panels, vs } = setup();
        const [a, b, c] = [runDir(2), runDir(3), runDir(4)];
        const before = vs.panels.length;
        expect(panels.compareInDashboard(a)).toEqual({ primary: a, compare: [] }); // no dashboard yet: it opens on a
        expect(vs.panels).toHaveLength(before + 1);
        const panel = vs.panels.at(-1)!;
        panel.send({ type: 'ready' });
        const added = panel.nextPost(
            (m) => m.type === 'dashboard/run' && (m['run'] as { slot: string }).slot === 'compare-1',
        );
        expect(panels.compareInDashboard(b)).toEqual({ primary: a, compare: [b] });
        expect(await added).toMatchObject({ run: { runDir: b } });
        expect(panels.compareInDashboard(c)).toEqual({ primary: a, compare: [b, c] });
        // A run already shown is not drawn twice, the main run included; the same panel throughout.
        expect(panels.compareInDashboard(b)).toEqual({ primary: a, compare: [b, c] });
        expect(panels.compareInDashboard(a)).toEqual({ primary: a, compare: [b, c] });
        expect(vs.panels).toHaveLength(before + 1);
        expect(() => panels.compareInDashboard(tmpdir())).toThrow(/not a run directory/);
        expect(panels.showDashboard().feed.state().compareRunDirs).toEqual([b, c]);
    });

    it('Compare in Dashboard on an empty dashboard shows the run as its main run, not as a comparison', () => {
        const { panels, vs } = setup();
        const before = vs.panels.length;
        panels.showDashboard();
        const a = runDir(2);
        expect(panels.compareInDashboard(a)).toEqual({ primary: a, compare: [] });
        expect(vs.panels).toHaveLength(before + 1);
    });

    it('is restored from its saved state, following only folders that are still runs', async () => {
        const { vs } = setup();
        const { FakePanel } = await import('./panel-fake.js');
        const dir = runDir(2);
        const other = runDir(3);
        const restored = new FakePanel('mas.dashboard', 'x');
        await vs.serializers.get('mas.dashboard')!.deserializeWebviewPanel(restored, {
            view: 'dashboard',
            primaryRunDir: dir,
            compareRunDirs: ['/nowhere/at/all', other],
            hidden: [],
        });
        restored.send({ type: 'ready' });
        expect(restored.ofType('dashboard/run').map((m) => (m['run'] as { slot: string }).slot)).toEqual([
            'primary',
            'compare-1',
        ]);
    });
});
