import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DashboardFeed } from '../../../client/src/views/dashboard/dashboard-feed.js';
import { RunFollowers } from '../../../client/src/runs/run-followers.js';
import { MAX_COMPARE_RUNS, type DashboardToView } from '../../../protocol/webview-messages.js';

const fixtureRunJson = JSON.parse(
    readFileSync(new URL('../../fixtures/runs/lazy-team-3steps/run.json', import.meta.url), 'utf8'),
) as object;
const fixture = readFileSync(new URL('../../fixtures/webview/metrics-signal.jsonl', import.meta.url), 'utf8')
    .trim()
    .split('\n');
const line = (step: number) => `${JSON.stringify({ ...JSON.parse(fixture[0]!), step })}\n`;

/** Collects posted messages and lets a test wait for the first one matching a predicate (no sleeps). */
class Inbox {
    readonly messages: DashboardToView[] = [];
    private waiters: { match: (m: DashboardToView) => boolean; resolve: (m: DashboardToView) => void }[] = [];
    post = (message: DashboardToView): void => {
        this.messages.push(message);
        for (const w of this.waiters.filter((w) => w.match(message))) w.resolve(message);
        this.waiters = this.waiters.filter((w) => !w.match(message));
    };
    next(match: (m: DashboardToView) => boolean): Promise<DashboardToView> {
        return new Promise((resolve) => this.waiters.push({ match, resolve }));
    }
    steps(slot = 'primary'): number[] {
        return this.messages.flatMap((m) =>
            m.type === 'dashboard/metrics' && m.slot === slot ? m.records.map((r) => r.step) : [],
        );
    }
}

const dirs: string[] = [];
const sessions: DashboardFeed[] = [];
function runDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'mas-dash-'));
    dirs.push(dir);
    return dir;
}
function session(inbox: Inbox): DashboardFeed {
    const s = new DashboardFeed(inbox.post, { pollMs: 50 });
    sessions.push(s);
    return s;
}
afterEach(() => {
    for (const s of sessions.splice(0)) s.dispose();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('DashboardFeed', () => {
    it('sends the existing records, then each appended line, and holds back a torn line', async () => {
        const dir = runDir();
        writeFileSync(join(dir, 'metrics.jsonl'), line(1) + line(2));
        const inbox = new Inbox();
        session(inbox).setRun('primary', dir);
        expect(inbox.messages[0]).toMatchObject({
            type: 'dashboard/run',
            run: { slot: 'primary', runDir: dir, status: 'unknown' },
        });
        expect(inbox.steps()).toEqual([1, 2]);

        const third = inbox.next((m) => m.type === 'dashboard/metrics');
        const half = line(3);
        appendFileSync(join(dir, 'metrics.jsonl'), half.slice(0, 20));
        appendFileSync(join(dir, 'metrics.jsonl'), half.slice(20));
        await third;
        expect(inbox.steps()).toEqual([1, 2, 3]);
    });

    it('reports a corrupt line with file:line and a run directory deleted while watched', async () => {
        const dir = runDir();
        writeFileSync(join(dir, 'metrics.jsonl'), `${line(1)}{oops\n${line(3)}`);
        const inbox = new Inbox();
        session(inbox).setRun('primary', dir);
        expect(inbox.steps()).toEqual([1, 3]);
        const corrupt = inbox.messages.find((m) => m.type === 'dashboard/notice');
        expect(corrupt).toMatchObject({ severity: 'warning' });
        expect((corrupt as { message: string }).message).toContain(
            `${join(dir, 'metrics.jsonl')}:2: line is not valid JSON`,
        );

        const gone = inbox.next((m) => m.type === 'dashboard/notice' && m.severity === 'error');
        rmSync(dir, { recursive: true, force: true });
        expect(((await gone) as { message: string }).message).toMatch(/was deleted or moved/);
    });

    it('starts over when metrics.jsonl is replaced on resume, and reads run.json status', async () => {
        const dir = runDir();
        writeFileSync(join(dir, 'metrics.jsonl'), line(1) + line(2) + line(3));
        const inbox = new Inbox();
        const status = inbox.next((m) => m.type === 'dashboard/status' && m.run.status === 'running');
        // A whole run.json (the reader checks it against its schema), with this test's status and step counts.
        writeFileSync(
            join(dir, 'run.json'),
            JSON.stringify({ ...fixtureRunJson, status: 'running', error: null, steps_completed: 3, steps_total: 10 }),
        );
        session(inbox).setRun('primary', dir);
        expect(await status).toMatchObject({ run: { stepsTotal: 10, stepsCompleted: 3 } });

        const reset = inbox.next((m) => m.type === 'dashboard/run');
        const replacement = join(dir, 'metrics.jsonl.tmp');
        writeFileSync(replacement, line(1) + line(2));
        renameSync(replacement, join(dir, 'metrics.jsonl'));
        await reset;
        const after = inbox.messages.length;
        const refilled = inbox.next((m) => m.type === 'dashboard/metrics' && m.records.some((r) => r.step === 4));
        appendFileSync(join(dir, 'metrics.jsonl'), line(4));
        await refilled;
        const since = inbox.messages
            .slice(after)
            .flatMap((m) => (m.type === 'dashboard/metrics' ? m.records.map((r) => r.step) : []));
        expect(since).toEqual([4]);
    });

    it('follows several comparison runs beside the primary, resends all when the view reloads, removes one', () => {
        const [a, b, c, d] = [runDir(), runDir(), runDir(), runDir()];
        writeFileSync(join(a, 'metrics.jsonl'), line(1));
        mkdirSync(join(b, 'x'));
        writeFileSync(join(b, 'metrics.jsonl'), line(5) + line(6));
        writeFileSync(join(c, 'metrics.jsonl'), line(7));
        writeFileSync(join(d, 'metrics.jsonl'), line(8) + line(9));
        const inbox = new Inbox();
        const s = session(inbox);
        s.setRun('primary', a);
        expect([b, c, d].map((dir) => s.addCompare(dir))).toEqual([
            { slot: 'compare-1' },
            { slot: 'compare-2' },
            { slot: 'compare-3' },
        ]);
        expect(s.addCompare(c)).toEqual({ slot: 'compare-2' }); // a run is drawn once
        expect(s.addCompare(a)).toEqual({ slot: 'primary' });
        expect(inbox.steps('compare-1')).toEqual([5, 6]);
        expect(inbox.steps('compare-3')).toEqual([8, 9]);
        inbox.messages.length = 0;
        s.resend();
        expect(inbox.steps('primary')).toEqual([1]);
        expect(inbox.steps('compare-1')).toEqual([5, 6]);
        expect(inbox.steps('compare-2')).toEqual([7]);
        expect(s.state()).toEqual({ view: 'dashboard', primaryRunDir: a, compareRunDirs: [b, c, d], hidden: [] });

        s.clear('compare-2');
        expect(inbox.messages.at(-1)).toEqual({ type: 'dashboard/clear', slot: 'compare-2' });
        expect(s.state().compareRunDirs).toEqual([b, d]);
        // A new comparison gets a new slot: a late message for the removed run can never land on it.
        expect(s.addCompare(c)).toEqual({ slot: 'compare-4' });
        s.clearCompares();
        expect(s.compareSlots()).toEqual([]);
        expect(s.state()).toMatchObject({ primaryRunDir: a, compareRunDirs: [] });
    });

    it('follows every comparison run live while it trains: lines appended to any of them arrive in its slot', async () => {
        const [a, b, c] = [runDir(), runDir(), runDir()];
        for (const dir of [a, b, c]) writeFileSync(join(dir, 'metrics.jsonl'), line(1));
        const inbox = new Inbox();
        const followers = new RunFollowers({ pollMs: 50 });
        const s = new DashboardFeed(inbox.post, {}, followers);
        sessions.push(s);
        s.setRun('primary', a);
        s.addCompare(b);
        s.addCompare(c);
        const fromC = inbox.next((m) => m.type === 'dashboard/metrics' && m.slot === 'compare-2');
        appendFileSync(join(c, 'metrics.jsonl'), line(2) + line(3));
        expect(await fromC).toMatchObject({ records: [{ step: 2 }, { step: 3 }] });
        const fromB = inbox.next((m) => m.type === 'dashboard/metrics' && m.slot === 'compare-1');
        appendFileSync(join(b, 'metrics.jsonl'), line(2));
        expect(await fromB).toMatchObject({ records: [{ step: 2 }] });
        expect(inbox.steps('compare-1')).toEqual([1, 2]);
        expect(inbox.steps('compare-2')).toEqual([1, 2, 3]);
        // A removed run is no longer followed: its follower stops (none else holds it); the others go on.
        expect(followers.size).toBe(3);
        s.clear('compare-1');
        expect(followers.size).toBe(2);
        const fromA = inbox.next((m) => m.type === 'dashboard/metrics' && m.slot === 'primary');
        appendFileSync(join(a, 'metrics.jsonl'), line(2));
        expect(await fromA).toMatchObject({ records: [{ step: 2 }] });
    });

    it('refuses more than MAX_COMPARE_RUNS comparison runs with a message that says what to do', () => {
        const inbox = new Inbox();
        const s = session(inbox);
        const dirs = Array.from({ length: MAX_COMPARE_RUNS + 1 }, () => runDir());
        for (const dir of dirs.slice(0, MAX_COMPARE_RUNS)) expect(s.addCompare(dir)).toHaveProperty('slot');
        const refused = s.addCompare(dirs[MAX_COMPARE_RUNS]!);
        expect(refused).toEqual({ refused: expect.stringContaining('remove one') as unknown });
        expect(s.compareSlots()).toHaveLength(MAX_COMPARE_RUNS);
    });
});
