// Issue 14 F3 (process.log), F13 (the dashboard follows a metrics.jsonl link out of the run directory) and F10 (FIFOs)
// on the extension host: links out of a run directory are never written through or read, FIFOs are refused by type
// instead of blocking the host's thread. The rule is the trajectory reader's (resolveInRunDir), shared.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveInRunDir } from '../../analysis/run-dir/paths.js';
import { DashboardFeed } from '../../client/src/views/dashboard/dashboard-feed.js';
import { writeLaunchRecord } from '../../client/src/training/run-dir.js';
import { readLatestCheckpoint, readLogFrom } from '../../client/src/training/run-files.js';
import { RunFileTail } from '../../client/src/runs/run-file-tail.js';
import { trainerRunArgs } from '../../client/src/training/trainer-args.js';
import { launchTrainer } from '../../client/src/training/trainer-process.js';
import type { DashboardToView } from '../../protocol/webview-messages.js';
import { fakeEnv, fakeTrainerRoot, tempDir, testPython, trusted } from './helpers.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
    for (const c of cleanups.splice(0)) c();
});

const metricsLine = `${JSON.stringify({ ...JSON.parse(readFileSync('test/fixtures/webview/metrics-signal.jsonl', 'utf8').split('\n')[0]!), step: 1 })}\n`;

/** A run directory and, beside it, a folder standing for "outside" (a user's files). */
function layout(): { runDir: string; outside: string } {
    const tmp = tempDir('mas-hostile-');
    cleanups.push(tmp.cleanup);
    const runDir = path.join(tmp.dir, 'runs', 'r');
    const outside = path.join(tmp.dir, 'home');
    mkdirSync(runDir, { recursive: true });
    mkdirSync(outside);
    return { runDir, outside };
}

function mkfifo(file: string): void {
    const made = spawnSync('mkfifo', [file]);
    if (made.status !== 0) throw new Error(`mkfifo ${file} failed: ${made.stderr.toString()}`);
}

function launchInput(runDir: string) {
    const specFile = path.join(runDir, 'spec.json');
    writeFileSync(
        specFile,
        JSON.stringify({ version: 1, workflow: 'w', train: { steps: 1 }, fake: { mode: 'finish', steps: 1 } }),
    );
    return {
        python: testPython,
        args: trainerRunArgs({ specFile, runDir, trainerRoot: fakeTrainerRoot }),
        runDir,
        env: fakeEnv(),
        trust: trusted,
    };
}

describe('process.log is never written through a link or into a FIFO', () => {
    it('a link to a file outside: refused before anything is spawned, the file unchanged', async () => {
        const { runDir, outside } = layout();
        const victim = path.join(outside, '.bashrc');
        writeFileSync(victim, 'original\n');
        symlinkSync(victim, path.join(runDir, 'process.log'));
        await expect(launchTrainer(launchInput(runDir))).rejects.toThrow(
            /process\.log is a symbolic link; .* not followed/,
        );
        expect(readFileSync(victim, 'utf8')).toBe('original\n');
        expect(existsSync(path.join(runDir, 'argv.json'))).toBe(false); // the fake trainer never ran
    });

    it('a dangling link: nothing is created outside', async () => {
        const { runDir, outside } = layout();
        const target = path.join(outside, 'created-through-link');
        symlinkSync(target, path.join(runDir, 'process.log'));
        await expect(launchTrainer(launchInput(runDir))).rejects.toThrow(/symbolic link/);
        expect(existsSync(target)).toBe(false);
    });

    it('a FIFO: refused by type at once (opening it for writing would wait for a reader)', async () => {
        const { runDir } = layout();
        mkfifo(path.join(runDir, 'process.log'));
        await expect(launchTrainer(launchInput(runDir))).rejects.toThrow(/process\.log is a FIFO/);
    });

    it('launch.json is written by rename, never through a planted link at its temporary name', () => {
        const { runDir, outside } = layout();
        const victim = path.join(outside, 'victim');
        writeFileSync(victim, 'original\n');
        symlinkSync(victim, path.join(runDir, `.tmp-launch.json-${process.pid}`));
        symlinkSync(victim, path.join(runDir, 'launch.json'));
        writeLaunchRecord(runDir, {
            version: 1,
            pid: 1234,
            python: 'p',
            args: [],
            start_ticks: null,
            launched_at: 0,
            log_offsets: { process: 0, trainer: 0 },
            stop_requested_at: null,
        });
        expect(readFileSync(victim, 'utf8')).toBe('original\n');
        expect(JSON.parse(readFileSync(path.join(runDir, 'launch.json'), 'utf8'))).toMatchObject({ pid: 1234 });
    });
});

/** Collects the dashboard's messages; waits for one that matches (no sleeps). */
function inbox() {
    const messages: DashboardToView[] = [];
    let waiter: { match: (m: DashboardToView) => boolean; resolve: (m: DashboardToView) => void } | undefined;
    const post = (m: DashboardToView) => {
        messages.push(m);
        if (waiter?.match(m)) waiter.resolve(m);
    };
    const next = (match: (m: DashboardToView) => boolean) =>
        new Promise<DashboardToView>((resolve) => {
            const seen = messages.find(match);
            if (seen) resolve(seen);
            else waiter = { match, resolve };
        });
    return { messages, post, next };
}

function follow(runDir: string) {
    const box = inbox();
    const session = new DashboardFeed(box.post, { pollMs: 50 });
    cleanups.push(() => session.dispose());
    session.setRun('primary', runDir);
    const steps = () =>
        box.messages.flatMap((m) => (m.type === 'dashboard/metrics' ? m.records.map((r) => r.step) : []));
    const refusal = () => box.next((m) => m.type === 'dashboard/notice' && m.severity === 'error');
    return { ...box, steps, refusal };
}

describe("the dashboard follows metrics.jsonl by the trajectory reader's rule", () => {
    it('a metrics.jsonl link out of the run directory is refused, as the trajectory reader refuses it', async () => {
        const { runDir, outside } = layout();
        writeFileSync(path.join(outside, 'metrics.jsonl'), metricsLine);
        symlinkSync(path.join(outside, 'metrics.jsonl'), path.join(runDir, 'metrics.jsonl'));
        await expect(resolveInRunDir(runDir, 'metrics.jsonl')).rejects.toThrow(/outside the run directory/);
        const dashboard = follow(runDir);
        const notice = await dashboard.refusal();
        expect((notice as { message: string }).message).toMatch(
            /'metrics\.jsonl' is a link to '.*home\/metrics\.jsonl', outside the run directory/,
        );
        expect(dashboard.steps()).toEqual([]);
    });

    it('a link inside the run directory is followed, as the trajectory reader follows it', async () => {
        const { runDir } = layout();
        mkdirSync(path.join(runDir, 'kept'));
        writeFileSync(path.join(runDir, 'kept', 'metrics.jsonl'), metricsLine);
        symlinkSync(path.join('kept', 'metrics.jsonl'), path.join(runDir, 'metrics.jsonl'));
        await expect(resolveInRunDir(runDir, 'metrics.jsonl')).resolves.toBe(
            path.join(runDir, 'kept', 'metrics.jsonl'),
        );
        const dashboard = follow(runDir);
        await dashboard.next((m) => m.type === 'dashboard/metrics');
        expect(dashboard.steps()).toEqual([1]);
    });

    it('a FIFO named metrics.jsonl is refused by type, never opened', async () => {
        const { runDir } = layout();
        mkfifo(path.join(runDir, 'metrics.jsonl'));
        const dashboard = follow(runDir);
        const notice = await dashboard.refusal();
        expect((notice as { message: string }).message).toMatch(
            /metrics\.jsonl is a FIFO \(named pipe\); .* not opened/,
        );
    });
});

describe("a training session's reads of its run directory", () => {
    it('tails refuse links out and FIFOs; logs and the checkpoint marker behind them read as absent without blocking', () => {
        const { runDir, outside } = layout();
        const secret = path.join(outside, 'secret.txt');
        writeFileSync(secret, 'do not show\n');
        symlinkSync(secret, path.join(runDir, 'process.log'));
        mkfifo(path.join(runDir, 'metrics.jsonl'));
        mkfifo(path.join(runDir, 'trainer.log'));
        writeFileSync(path.join(outside, 'step'), '7\n');
        symlinkSync(path.join(outside, 'step'), path.join(runDir, 'latest_checkpointed_iteration.txt'));

        expect(new RunFileTail(runDir, 'process.log').read()).toMatchObject({
            kind: 'refused',
            reason: expect.stringContaining('outside the run directory'),
        });
        expect(new RunFileTail(runDir, 'metrics.jsonl').read()).toMatchObject({
            kind: 'refused',
            reason: expect.stringContaining('is a FIFO'),
        });
        expect(readLogFrom(path.join(runDir, 'process.log'), 0).text).toBe('');
        expect(readLogFrom(path.join(runDir, 'trainer.log'), 0).text).toBe('');
        expect(readLatestCheckpoint(runDir)).toBeUndefined();
    });
});
