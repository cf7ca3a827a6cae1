// Training and runs in a real VS Code (code-server + Chromium), one workbench for the file, in order: start
// training on the CPU signalling example from the command palette, follow it in the status bar and the dashboard,
// stop it (the trainer process is gone); open a recorded run, step through it in the `mas-trajectory` debugger
// and see the agent's declaration highlighted and the trajectory view follow.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { recordFigure } from '../harness/figures.js';
import { commandLine, isRunning } from '../harness/processes.js';
import { startSession, type Session } from '../harness/session.js';
import { editorOf, stackFrameLine, webview } from '../harness/views.js';
import { waitUntil } from '../harness/workbench.js';

const PYTHON = resolve('trainer/.venv/bin/python');
const FIXTURE_RUN = 'test/fixtures/runs/lazy-team-3steps';
const RUN_NAME = 'lazy-team-3steps';

/**
 * signal.mas made cheap per step (2 tasks × 4 samples on the tiny CPU model: about a second a step here). The step
 * count stays large on purpose: the scenario stops the run itself, and a run that finished before "Stop Training"
 * would leave nothing to stop. The run lasts only as long as the scenario.
 */
function quickSignal(): string {
    const text = readFileSync('examples/signal/signal.mas', 'utf8');
    const quick = text
        .replace(/batch: \d+/, 'batch: 2')
        .replace(/group: \d+/, 'group: 4')
        .replace(/steps: \d+/, 'steps: 500');
    if (quick === text || !/workflow Signal\b/.test(quick))
        throw new Error('examples/signal/signal.mas changed: update the training scenario');
    return quick;
}

/** The debug configuration a user would write (docs/trajectory-view.md); the fixture's source path is repo-relative. */
const LAUNCH_JSON = JSON.stringify(
    {
        version: '0.2.0',
        configurations: [
            {
                type: 'mas-trajectory',
                request: 'launch',
                name: 'MAS: step through the lazy team',
                runDir: `\${workspaceFolder}/runs/${RUN_NAME}`,
                step: 1,
                rollout: 0,
                program: '${workspaceFolder}/lazy-team/lazy-team.mas',
                stopOnEntry: true,
            },
        ],
    },
    null,
    2,
);

interface Turn {
    agent: string;
    token_ids: number[];
}
const fixtureTurns: Turn[] = (
    JSON.parse(readFileSync(join(FIXTURE_RUN, 'trajectories', '1.jsonl'), 'utf8').split('\n')[0]!) as {
        rollout: number;
        turns: Turn[];
    }
).turns;

function declarationLine(text: string, agent: string): number {
    const line = text.split('\n').findIndex((l) => new RegExp(`^\\s*agent ${agent}\\s*:`).test(l));
    if (line < 0) throw new Error(`lazy-team.mas no longer declares agent ${agent}: update the debugger scenario`);
    return line + 1;
}

let session: Session;
/** Trainer pids this file saw, ended in afterAll if a failed scenario left one running (it runs detached). */
const trainers: number[] = [];

beforeAll(async () => {
    session = await startSession({
        machineSettings: { 'mas.trainer.pythonPath': PYTHON },
        folders: { [`runs/${RUN_NAME}`]: FIXTURE_RUN },
        files: { 'signal/signal.mas': quickSignal(), '.vscode/launch.json': LAUNCH_JSON },
    });
});

afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && session)
        await session.workbench.screenshot(`failed-training-${context.task.name.replace(/\W+/g, '-')}`);
});

afterAll(async () => {
    const leftTrainers = trainers.filter((pid) => isRunning(pid) && /mas_trainer/.test(commandLine(pid)));
    for (const pid of leftTrainers) process.kill(pid, 'SIGKILL');
    const leftovers = await session?.stop();
    expect(leftTrainers, 'trainer processes still running after the scenarios').toEqual([]);
    expect(leftovers ?? [], 'processes left behind by code-server or Chromium').toEqual([]);
});

/** The run directory the extension created for the signal run, once its launch.json is written. */
function signalRun(): { runDir: string; pid: number; python: string; args: string[] } | undefined {
    const runs = join(session.workspace, 'runs');
    const dir = existsSync(runs)
        ? readdirSync(runs).find((d) => d !== RUN_NAME && existsSync(join(runs, d, 'launch.json')))
        : undefined;
    if (!dir) return undefined;
    const record = JSON.parse(readFileSync(join(runs, dir, 'launch.json'), 'utf8')) as {
        pid: number;
        python: string;
        args: string[];
    };
    return { runDir: join(runs, dir), ...record };
}

describe('training and runs in the installed extension', () => {
    it('starts training from the command palette, follows it in the status bar and dashboard, and stops it', async () => {
        const { workbench, browser } = session;
        const page = browser.page;
        await workbench.waitReady();
        await workbench.openFile('signal.mas');
        await workbench.editor().locator('.codelens-decoration', { hasText: 'Train' }).first().waitFor(); // the language server is up
        const started = Date.now();
        await workbench.runCommand('MAS: Start Training');
        const run = await waitUntil(signalRun, 'launch.json of the new run under runs/', 120_000);
        trainers.push(run.pid);
        expect(run.python, 'the machine-scoped mas.trainer.pythonPath setting is used').toBe(PYTHON);
        // Isolated mode: the shipped trainer is run by its bootstrap, whatever the workspace holds (trainer-args.ts).
        expect(commandLine(run.pid)).toMatch(
            / -I -u -X utf8 -c .*run_module\('mas_trainer'.* \S+\/trainer run --spec=/,
        );

        const status = page.locator('.statusbar-item', { hasText: /MAS Signal \d+\/500/ }).first();
        await status.waitFor({ timeout: 120_000 });
        recordFigure('Start Training → first step in the status bar', Date.now() - started, 'ms');
        await status.click(); // opens the dashboard on this run
        await page.locator('.tab.active', { hasText: 'MAS Training Dashboard' }).waitFor(); // the click ran the command
        const view = webview(page);
        await view.locator('.run-name', { hasText: run.runDir.split('/').pop()! }).waitFor();
        const reward = view.locator('section.chart[data-chart="reward"]');
        await reward.locator('.uplot canvas').first().waitFor();
        const first = Number(await reward.getAttribute('data-points'));
        expect(first).toBeGreaterThan(0);
        // The chart keeps receiving points while the trainer runs.
        await view.locator(`section.chart[data-chart="reward"]:not([data-points="${first}"])`).waitFor();
        expect(Number(await reward.getAttribute('data-points'))).toBeGreaterThan(first);
        await workbench.screenshot('11-training-dashboard');

        await workbench.runCommand('MAS: Stop Training');
        await workbench.notification(/was stopped|stopped early/).waitFor();
        await waitUntil(() => !isRunning(run.pid), `the trainer (pid ${run.pid}) to exit`, 30_000);
        await status.waitFor({ state: 'detached' });
        const runJson = JSON.parse(readFileSync(join(run.runDir, 'run.json'), 'utf8')) as { status: string };
        expect(runJson.status, 'a stopped run is recorded as stopped (resumable), not left "running"').toBe('stopped');
        await view.locator('.status', { hasText: /stopped/ }).waitFor();
        await workbench.screenshot('12-training-stopped');
        await workbench.runCommand('View: Close All Editor Groups'); // the next scenario starts with no webview open
    }, 300_000); // the trainer loads torch and the model first: ~45 s to the first step on 2 busy cores

    it('opens a recorded run and steps through it in the trajectory debugger', async () => {
        const { workbench, browser } = session;
        const page = browser.page;
        await workbench.waitReady(); // also when run alone (vitest -t)
        await workbench.openFile('lazy-team.mas');
        await workbench.editor().locator('.codelens-decoration', { hasText: 'Train' }).first().waitFor(); // MAS Studio is active
        await workbench.runCommand('MAS: Open Run…');
        await page.locator('.quick-input-widget .monaco-list-row', { hasText: RUN_NAME }).first().waitFor();
        await page.keyboard.type(RUN_NAME);
        await page
            .locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: RUN_NAME })
            .waitFor();
        await page.keyboard.press('Enter');
        const dashboard = webview(page);
        await dashboard.locator('.run-steps', { hasText: /^step 3 \/ 3$/ }).waitFor();
        await dashboard.locator('section.chart[data-chart="reward"][data-points="3"]').waitFor();
        await workbench.runCommand('View: Close All Editor Groups');

        const text = readFileSync(join(session.workspace, 'lazy-team', 'lazy-team.mas'), 'utf8');
        await workbench.openFile('lazy-team.mas');
        await workbench.runExactCommand('Debug: Start Debugging');
        const editor = editorOf(page, 'lazy-team.mas');
        const trajectory = webview(page);
        for (const [turn, expected] of fixtureTurns.slice(0, 2).entries()) {
            if (turn > 0) await workbench.runExactCommand('Debug: Step Over');
            await expect
                .poll(() => stackFrameLine(editor), { timeout: 60_000, interval: 200 })
                .toBe(declarationLine(text, expected.agent));
            await trajectory
                .locator('.turn-label', { hasText: `turn ${turn + 1} / ${fixtureTurns.length} (debugger)` })
                .waitFor();
            await trajectory.locator(`.turn-row.selected[data-turn="${turn}"]`).waitFor();
            await trajectory
                .locator('.turn-info .turn-agent', { hasText: new RegExp(`^${expected.agent}$`) })
                .waitFor();
            // The token strip is this turn's: its first cell names the turn's first token id.
            const cell = trajectory.locator('.token-box .token').first();
            await expect
                .poll(() => cell.getAttribute('title'))
                .toMatch(new RegExp(`^token 0 · id ${expected.token_ids[0]} `));
            // The Variables view shows the turn the debugger stopped at.
            await page
                .locator('.monaco-list-row', { hasText: new RegExp(`^\\s*agent\\s*=\\s*"${expected.agent}"`) })
                .first()
                .waitFor();
        }
        await workbench.screenshot('13-trajectory-debugger');
        await workbench.runExactCommand('Debug: Stop');
        await expect.poll(() => stackFrameLine(editor), { timeout: 60_000, interval: 200 }).toBeUndefined();
        // The view stays at its turn but no longer says a debugger drives it (first-hour bug B13).
        await expect
            .poll(() => trajectory.locator('.turn-label').first().textContent(), { timeout: 30_000, interval: 200 })
            .toMatch(/^turn 2 \/ \d+$/);
    });
});
