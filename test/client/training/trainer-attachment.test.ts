// Process management against a fake trainer (test/client/fixtures/fake-extension/trainer): spawn, finish, crash, stop,
// SIGKILL escalation, detach + re-attach, killed from outside, run directory deleted, workspace trust.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LAUNCH_FILES } from '../../../protocol/launch.js';
import { liveness } from '../../../client/src/training/process-identity.js';
import { createRunDir, readLaunchRecord, writeSpec } from '../../../client/src/training/run-dir.js';
import { trainerRunArgs, trainerSubcommand } from '../../../client/src/training/trainer-args.js';
import { identityOf } from '../../../client/src/training/trainer-process.js';
import { TrainerAttachment } from '../../../client/src/training/trainer-attachment.js';
import { UntrustedWorkspaceError } from '../../../client/src/training/trust.js';
import { RunFollowers } from '../../../client/src/runs/run-followers.js';
import { DashboardFeed } from '../../../client/src/views/dashboard/dashboard-feed.js';
import type { DashboardToView } from '../../../protocol/webview-messages.js';
import {
    fakeEnv,
    fakeTrainerRoot,
    nextEvent,
    tempDir,
    testPython,
    trusted,
    untrusted,
    waitForFile,
} from '../helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
    for (const c of cleanups.splice(0)) c();
});

function prepare(fake: { mode: string; steps?: number }, workflow = 'lazy-team', folder?: string) {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const root = folder ? path.join(tmp.dir, folder) : tmp.dir;
    const runDir = createRunDir(path.join(root, 'runs'), workflow, new Date(2026, 10, 30, 0, 15, 2));
    const specFile = writeSpec(runDir, { version: 1, workflow, train: { steps: 10 }, fake });
    const args = trainerRunArgs({ specFile, runDir, trainerRoot: fakeTrainerRoot });
    return { runDir, specFile, args, input: { python: testPython, args, runDir, env: fakeEnv(), trust: trusted } };
}

async function launch(fake: { mode: string; steps?: number }, options = {}) {
    const p = prepare(fake);
    const session = await TrainerAttachment.launch(p.input, { pollMs: 50, stopGraceMs: 5000, ...options });
    cleanups.push(() => {
        if (TrainerAttachment.trainerAlive(p.runDir)) process.kill(-session.pid, 'SIGKILL');
        session.dispose();
    });
    return { ...p, session };
}

describe('TrainerAttachment with a fake trainer', () => {
    it('follows a run to its end: progress from metrics.jsonl, log lines, "finished"', async () => {
        const { session } = await launch({ mode: 'finish', steps: 3 });
        const logs: string[] = [];
        session.onLog.on((lines) => logs.push(...lines));
        const outcome = await nextEvent(session.onEnd.on.bind(session.onEnd));
        expect(outcome.kind).toBe('finished');
        expect(session.snapshot).toMatchObject({ step: 3, total: 10, rewardMean: 0.75 });
        // 2 s per step in the fake's timestamps, 7 steps to go.
        expect(session.snapshot?.etaSeconds).toBeCloseTo(14);
        expect(logs.some((l) => l.includes('step 3 reward 0.750'))).toBe(true);
    });

    it("shares its run's follower with the dashboard: metrics.jsonl is read by one follower for both", async () => {
        const followers = new RunFollowers({ pollMs: 50 });
        cleanups.push(() => followers.dispose());
        const { session, runDir } = await launch({ mode: 'wait', steps: 2 }, { followers });
        await waitForFile(path.join(runDir, 'ready'));
        const posted: DashboardToView[] = [];
        const dashboard = new DashboardFeed((m) => posted.push(m), {}, followers);
        cleanups.push(() => dashboard.dispose());
        dashboard.setRun('primary', runDir);
        expect(followers.size).toBe(1);
        const steps = posted.flatMap((m) => (m.type === 'dashboard/metrics' ? m.records.map((r) => r.step) : []));
        expect(steps).toEqual([1, 2]);
        expect(session.snapshot).toMatchObject({ step: 2, total: 10 }); // the re-read for the dashboard leaves it as it was
        const ended = nextEvent(session.onEnd.on.bind(session.onEnd));
        expect(await session.stop()).toBe('terminated');
        expect((await ended).kind).toBe('stopped');
        expect(followers.size).toBe(1); // the dashboard still follows the run
    });

    it('a crash becomes one message naming the exception, pointing at its line in process.log', async () => {
        const { session, runDir } = await launch({ mode: 'crash', steps: 1 });
        const outcome = await nextEvent(session.onEnd.on.bind(session.onEnd));
        expect(outcome.kind).toBe('failed');
        expect(outcome.message).toContain('exited with code 1');
        expect(outcome.message).toContain('RuntimeError: CUDA error: device-side assert triggered');
        const file = outcome.cause!.file;
        expect(file).toBe(path.join(runDir, LAUNCH_FILES.processLog));
        expect(readFileSync(file, 'utf8').split('\n')[outcome.cause!.line - 1]).toContain('RuntimeError');
    });

    it('a trainer error (exit 4) gives its error line and the documented advice', async () => {
        const { session } = await launch({ mode: 'error' });
        const outcome = await nextEvent(session.onEnd.on.bind(session.onEnd));
        expect(outcome.message).toContain("data/train.jsonl:3: field 'answer' is missing");
        expect(outcome.message).toContain('fix the JSON Lines file');
    });

    it('a resumed run that fails is explained by its own output, not by an earlier attempt in the same logs', async () => {
        const first = await launch({ mode: 'error' });
        expect((await nextEvent(first.session.onEnd.on.bind(first.session.onEnd))).message).toContain("field 'answer'");
        writeSpec(first.runDir, {
            version: 1,
            workflow: 'lazy-team',
            train: { steps: 10 },
            fake: { mode: 'crash', steps: 1 },
        });
        const args = trainerRunArgs({
            specFile: first.specFile,
            runDir: first.runDir,
            trainerRoot: fakeTrainerRoot,
            resume: true,
        });
        const again = await TrainerAttachment.launch({ ...first.input, args }, { pollMs: 50 });
        cleanups.push(() => again.dispose());
        const outcome = await nextEvent(again.onEnd.on.bind(again.onEnd));
        expect(outcome.message).toContain('RuntimeError');
        expect(outcome.message).not.toContain("field 'answer'");
        const lines = readFileSync(outcome.cause!.file, 'utf8').split('\n');
        expect(lines[0]).toContain("field 'answer'"); // the earlier attempt is still in the file...
        expect(lines[outcome.cause!.line - 1]).toMatch(/^RuntimeError/); // ...and the line number is the file's
    });

    it('Stop sends SIGTERM and the run ends as "stopped", not as a crash', async () => {
        const { session, runDir } = await launch({ mode: 'wait', steps: 1 });
        await waitForFile(path.join(runDir, 'ready'));
        const ended = nextEvent(session.onEnd.on.bind(session.onEnd));
        expect(await session.stop()).toBe('terminated');
        // The fake trainer saved no checkpoint: the notification must not promise one.
        expect(await ended).toMatchObject({
            kind: 'stopped',
            message: expect.stringContaining('no checkpoint was saved yet'),
        });
        expect(readLaunchRecord(runDir)?.stop_requested_at).toBeTypeOf('number');
    });

    it('without /proc (macOS, Windows) the window that spawned the trainer still stops it, through its child handle', async () => {
        const noProc = { available: false, read: () => undefined };
        const { session, runDir } = await launch({ mode: 'wait', steps: 1 }, { proc: noProc });
        await waitForFile(path.join(runDir, 'ready'));
        writeFileSync(path.join(runDir, 'latest_checkpointed_iteration.txt'), '7\n'); // as the trainer writes it after a checkpoint
        const ended = nextEvent(session.onEnd.on.bind(session.onEnd));
        expect(await session.stop()).toBe('terminated');
        expect(await ended).toMatchObject({
            kind: 'stopped',
            message: expect.stringContaining('resumed from its last checkpoint (step 7)'),
        });
        // ...but a later window cannot prove the pid is the trainer, so it does not re-attach.
        expect(TrainerAttachment.attach(runDir, trusted, { proc: noProc })).toBeUndefined();
    });

    it('a trainer that ignores SIGTERM is killed with SIGKILL after the grace period', async () => {
        const { session, runDir } = await launch({ mode: 'ignore-term', steps: 1 }, { stopGraceMs: 300 });
        await waitForFile(path.join(runDir, 'ready'));
        expect(await session.stop()).toBe('killed');
        expect(liveness(identityOf(readLaunchRecord(runDir)!))).toBe('dead');
    });

    it('survives its window: a new session re-attaches by pid + command line, follows and stops it', async () => {
        const { session, runDir } = await launch({ mode: 'wait', steps: 2 });
        await waitForFile(path.join(runDir, 'ready'));
        session.dispose(); // the window reloads: the detached trainer keeps running
        const record = readLaunchRecord(runDir)!;
        expect(liveness(identityOf(record))).toBe('alive');

        const again = TrainerAttachment.attach(runDir, trusted, { pollMs: 50 })!;
        cleanups.push(() => again.dispose());
        expect(again.pid).toBe(record.pid);
        expect(again.snapshot).toMatchObject({ step: 2 });
        const ended = nextEvent(again.onEnd.on.bind(again.onEnd));
        expect(await again.stop()).toBe('terminated');
        expect((await ended).kind).toBe('stopped');
    });

    it('after a re-attach, a trainer killed from outside is reported as such', async () => {
        const { session, runDir } = await launch({ mode: 'wait', steps: 1 });
        await waitForFile(path.join(runDir, 'ready'));
        session.dispose();
        const again = TrainerAttachment.attach(runDir, trusted, { pollMs: 50 })!;
        cleanups.push(() => again.dispose());
        const ended = nextEvent(again.onEnd.on.bind(again.onEnd));
        process.kill(again.pid, 'SIGKILL');
        const outcome = await ended;
        expect(outcome.kind).toBe('failed');
        expect(outcome.message).toContain('ended without finishing');
    });

    it('a run directory deleted while followed stops the trainer and says so', async () => {
        const { session, runDir } = await launch({ mode: 'wait', steps: 1 });
        await waitForFile(path.join(runDir, 'ready'));
        const pid = session.pid;
        const record = readLaunchRecord(runDir)!;
        const ended = nextEvent(session.onEnd.on.bind(session.onEnd));
        rmSync(runDir, { recursive: true, force: true });
        const outcome = await ended;
        expect(outcome.message).toContain('was deleted');
        expect(liveness({ ...identityOf(record), pid })).toBe('dead');
    });

    it('does not re-attach to a dead trainer, a reused pid, or a crafted launch.json', async () => {
        const { session, runDir } = await launch({ mode: 'finish', steps: 1 });
        await nextEvent(session.onEnd.on.bind(session.onEnd));
        expect(TrainerAttachment.attach(runDir, trusted)).toBeUndefined();
        // A launch.json naming this test process (alive, but not a trainer of this run directory).
        const crafted = {
            version: 1 as const,
            pid: process.pid,
            python: 'node',
            args: ['-m', 'mas_trainer', 'run', `--run-dir=${runDir}`],
            start_ticks: null,
            launched_at: 0,
            log_offsets: { process: 0, trainer: 0 },
            stop_requested_at: null,
        };
        const { writeLaunchRecord } = await import('../../../client/src/training/run-dir.js');
        writeLaunchRecord(runDir, crafted);
        expect(TrainerAttachment.attach(runDir, trusted)).toBeUndefined();
    });

    it('in an untrusted workspace nothing is spawned and nothing is re-attached', async () => {
        const p = prepare({ mode: 'finish' });
        await expect(TrainerAttachment.launch({ ...p.input, trust: untrusted })).rejects.toBeInstanceOf(
            UntrustedWorkspaceError,
        );
        expect(existsSync(path.join(p.runDir, 'argv.json'))).toBe(false);
        expect(existsSync(path.join(p.runDir, LAUNCH_FILES.processLog))).toBe(false);
        expect(() => TrainerAttachment.attach(p.runDir, untrusted)).toThrow(UntrustedWorkspaceError);
    });

    it('hostile folder and workflow names reach the trainer byte-identical and run nothing', async () => {
        const folder = 'a;b && c $(touch pwned) `id` \'q" -x\nline';
        const p = prepare({ mode: 'finish', steps: 1 }, '--evil;$(id)', folder);
        const session = await TrainerAttachment.launch(p.input, { pollMs: 50 });
        cleanups.push(() => session.dispose());
        expect((await nextEvent(session.onEnd.on.bind(session.onEnd))).kind).toBe('finished');
        const argv = JSON.parse(readFileSync(path.join(p.runDir, 'argv.json'), 'utf8')) as string[];
        expect(argv).toEqual(trainerSubcommand(p.args)); // the trainer sees `run --spec=... --run-dir=...` after its bootstrap
        expect(argv.join('\n')).toContain(folder);
        expect(existsSync(path.join(path.dirname(p.runDir), 'pwned'))).toBe(false);
        expect(existsSync('pwned')).toBe(false);
    });
});
