// One follower per run directory, shared by the dashboard and the followed trainers (and so the status bar), and one
// rule for "is this a run directory".
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DashboardToView } from '../../../protocol/webview-messages.js';
import { DashboardFeed } from '../../../client/src/views/dashboard/dashboard-feed.js';
import { isRunDirectory, runDirProblem, workspaceRunDirs } from '../../../client/src/runs/run-directory.js';
import type { ResetCause } from '../../../client/src/runs/run-follower.js';
import { RunFollowers } from '../../../client/src/runs/run-followers.js';

const line = (step: number) => `${JSON.stringify({ step, time: step, reward_mean: 0.5 })}\n`;
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).reverse().forEach((c) => c()));

function runDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'mas-runs-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
}

function followers(): RunFollowers {
    const f = new RunFollowers({ pollMs: 60_000, watch: false }); // reads only when told: the test drives them
    cleanups.push(() => f.dispose());
    return f;
}

function listener() {
    const heard = { steps: [] as number[], resets: [] as ResetCause[] };
    return { heard, events: { onRecords: (r: { step: number }[]) => heard.steps.push(...r.map((x) => x.step)), onReset: (c: ResetCause) => heard.resets.push(c) } };
}

describe('RunFollowers', () => {
    it('one follower per run directory: a second listener shares it and is given the history', () => {
        const dir = runDir();
        writeFileSync(join(dir, 'metrics.jsonl'), line(1) + line(2));
        const shared = followers();
        const first = listener();
        const a = shared.follow(dir, first.events);
        expect(first.heard.steps).toEqual([1, 2]);
        const second = listener();
        const b = shared.follow(dir, second.events);
        expect(shared.size).toBe(1);
        expect(second.heard.steps).toEqual([1, 2]);
        expect(first.heard.resets).toEqual(['reread']); // told to forget before hearing the history again
        expect(first.heard.steps).toEqual([1, 2, 1, 2]);
        appendFileSync(join(dir, 'metrics.jsonl'), line(3));
        a.poll();
        expect(first.heard.steps.at(-1)).toBe(3);
        expect(second.heard.steps.at(-1)).toBe(3);
        a.dispose();
        expect(shared.size).toBe(1);
        b.dispose();
        expect(shared.size).toBe(0); // stopped with its last listener
    });

    it('the dashboard and another listener of the same run share one follower', () => {
        const dir = runDir();
        writeFileSync(join(dir, 'metrics.jsonl'), line(1));
        const shared = followers();
        const trainer = listener();
        shared.follow(dir, trainer.events);
        const posted: DashboardToView[] = [];
        const dashboard = new DashboardFeed((m) => posted.push(m), {}, shared);
        cleanups.push(() => dashboard.dispose());
        dashboard.setRun('primary', dir);
        expect(shared.size).toBe(1);
        expect(posted.flatMap((m) => (m.type === 'dashboard/metrics' ? m.records.map((r) => r.step) : []))).toEqual([1]);
        // A re-read for the newcomer is not a rewritten file: no "resumed from a checkpoint" notice.
        expect(posted.some((m) => m.type === 'dashboard/notice')).toBe(false);
    });
});

describe('the run-directory rule', () => {
    it('run.json, metrics.jsonl or launch.json make a run directory; anything else says what to choose', () => {
        const root = runDir();
        const runs = join(root, 'runs');
        const made = (name: string, marker?: string) => {
            const dir = join(runs, name);
            mkdirSync(dir, { recursive: true });
            if (marker) writeFileSync(join(dir, marker), '{}');
            return dir;
        };
        const launched = made('a-1', 'launch.json');
        const trained = made('a-2', 'run.json');
        const metricsOnly = made('a-3', 'metrics.jsonl');
        const empty = made('a-4');
        expect([launched, trained, metricsOnly].every(isRunDirectory)).toBe(true);
        expect(isRunDirectory(empty)).toBe(false);
        expect(runDirProblem(empty)).toMatch(/is not a run directory \(it has none of run\.json, metrics\.jsonl, launch\.json\)/);
        expect(runDirProblem(join(root, 'gone'))).toMatch(/does not exist/);
        expect(workspaceRunDirs([root])).toEqual([metricsOnly, trained, launched]);
    });
});
