// metrics.jsonl → status bar text with ETA; following a file that grows, is replaced on resume, or is long.
import { appendFileSync, renameSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FileTail } from '../../client/src/runs/file-tail.js';
import { RunProgress, formatDuration, statusText } from '../../client/src/training/run-progress.js';
import { tempDir } from './helpers.js';

const line = (step: number, time: number, reward = step / 10): string =>
    JSON.stringify({ step, time, reward_mean: reward }) + '\n';
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

function setup(total = 100) {
    const tmp = tempDir();
    cleanups.push(tmp.cleanup);
    const file = path.join(tmp.dir, 'metrics.jsonl');
    return { file, tail: new FileTail(file), progress: new RunProgress(file, total) };
}

function drain(tail: FileTail, progress: RunProgress): boolean {
    let changed = false;
    for (let c = tail.read(); c.kind === 'data'; c = tail.read()) {
        changed = progress.feed(c) || changed;
        if (c.bytes.length === 0) break;
    }
    return changed;
}

describe('RunProgress', () => {
    it('keeps the ETA steady through a few slow steps, as during a window reload (first-hour bug B14)', () => {
        const { file, tail, progress } = setup(100);
        // 20 steps of 2 s, three of them 20 s (the machine busy): the old mean gave (17 × 2 + 3 × 20) / 20 = 4.7 s a step.
        let time = 0,
            text = '';
        for (let step = 1; step <= 21; step++) {
            text += line(step, time);
            time += [8, 12, 16].includes(step) ? 20 : 2;
        }
        writeFileSync(file, text);
        drain(tail, progress);
        expect(progress.snapshot()).toMatchObject({ step: 21, etaSeconds: 79 * 2 });
    });

    it('reports step, reward and an ETA from the recent step rate; holds back a torn line', () => {
        const { file, tail, progress } = setup(100);
        expect(tail.read().kind).toBe('missing');
        writeFileSync(file, line(1, 100) + line(2, 103) + line(3, 106) + '{"step": 4, "ti');
        expect(drain(tail, progress)).toBe(true);
        expect(progress.snapshot()).toEqual({ step: 3, total: 100, rewardMean: 0.3, etaSeconds: 97 * 3 });
        appendFileSync(file, 'me": 109, "reward_mean": 0.4}\n');
        drain(tail, progress);
        expect(progress.snapshot()?.step).toBe(4);
        expect(progress.issues).toEqual([]);
    });

    it('a corrupt middle line is reported with file:line and skipped', () => {
        const { file, tail, progress } = setup();
        writeFileSync(file, line(1, 0) + 'not json\n' + line(2, 1));
        drain(tail, progress);
        expect(progress.snapshot()?.step).toBe(2);
        expect(progress.issues).toMatchObject([{ file, line: 2 }]);
    });

    it('starts over when the file is replaced (resume rewrites it) and the rate never spans the gap', () => {
        const { file, tail, progress } = setup(10);
        writeFileSync(file, line(1, 0) + line(2, 10) + line(3, 20));
        drain(tail, progress);
        writeFileSync(`${file}.tmp`, line(1, 0) + line(2, 10));
        renameSync(`${file}.tmp`, file);
        appendFileSync(file, line(3, 5000) + line(4, 5002));
        drain(tail, progress);
        // Window restarted at the replaced file; the hour-long pause between 2 and 3 still counts once.
        expect(progress.snapshot()?.step).toBe(4);
        appendFileSync(file, line(5, 5004));
        drain(tail, progress);
        expect(progress.snapshot()?.etaSeconds).toBeGreaterThan(0);
    });

    it('attaching to a long file reads only its end, dropping the partial first line', () => {
        const tmp = tempDir();
        cleanups.push(tmp.cleanup);
        const file = path.join(tmp.dir, 'metrics.jsonl');
        let text = '';
        for (let s = 1; s <= 5000; s++) text += line(s, s * 2);
        writeFileSync(file, text);
        const tail = new FileTail(file, 4096);
        const progress = new RunProgress(file, 10000);
        drain(tail, progress);
        expect(progress.issues).toEqual([]);
        expect(progress.snapshot()).toMatchObject({ step: 5000, etaSeconds: 10000 });
    });
});

describe('status text', () => {
    it('shows name, step/total, reward and ETA; plain text only', () => {
        expect(statusText('lazy-team', { step: 12, total: 200, rewardMean: 0.53125, etaSeconds: 250 })).toBe(
            '$(sync~spin) MAS lazy-team 12/200 · R 0.531 · ETA 4m 10s',
        );
        expect(statusText('lazy-team', undefined)).toBe('$(sync~spin) MAS lazy-team: starting');
        expect(
            statusText('$(bug) x', { step: 1, total: undefined, rewardMean: undefined, etaSeconds: undefined }),
        ).toBe('$(sync~spin) MAS _bug_x 1/?');
        expect(formatDuration(3 * 3600 + 5 * 60)).toBe('3h 05m');
        expect(formatDuration(42)).toBe('42s');
    });
});
