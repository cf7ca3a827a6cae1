import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRollouts, encodeRollouts } from '../../../analysis/run-dir/index-codec.js';
import { buildRunIndex, formatIssue } from '../../../analysis/run-dir/run-index.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { copyFixtureRun, FIXTURE_RUN } from './fixture-run.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
    for (const c of cleanups.splice(0)) c();
});

function setup(): { root: string; cacheDir: string; runCache: () => string } {
    const run = copyFixtureRun();
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'mas-index-cache-'));
    cleanups.push(run.dispose, () => rmSync(cacheDir, { recursive: true, force: true }));
    // One folder per run directory under the cache; found after the first index build.
    return { root: run.root, cacheDir, runCache: () => path.join(cacheDir, readdirSync(cacheDir)[0]!) };
}

/** Rewrites a step file with other bytes of the same size and the same mtime: only the head hash can tell. */
function rewriteSameSizeAndMtime(file: string, edit: (text: string) => string): void {
    const mtime = new Date('2026-01-01T00:00:00Z'); // whole seconds: utimes keeps them exactly
    utimesSync(file, mtime, mtime);
    const before = statSync(file);
    const text = edit(readFileSync(file, 'utf8'));
    expect(Buffer.byteLength(text)).toBe(before.size);
    writeFileSync(file, text);
    utimesSync(file, mtime, mtime);
}

describe('saved index (sidecars outside the run directory)', () => {
    it('stores rollout entries column by column and reads back exactly the same entries', async () => {
        const index = await buildRunIndex(FIXTURE_RUN);
        for (const step of index.steps)
            expect(decodeRollouts(JSON.parse(JSON.stringify(encodeRollouts(step.rollouts))))).toEqual(step.rollouts);
    });

    it('reopens from the saved index, and rebuilds a step whose head changed though size and mtime did not', async () => {
        const { root, cacheDir, runCache } = setup();
        const file = path.join(root, 'trajectories', '2.jsonl');
        rewriteSameSizeAndMtime(file, (text) => text);
        const first = await new RunDirService({ cacheDir }).index(root);
        // Mark the saved index of step 2: a reopen that shows the mark read the saved index, not the step file.
        const saved = path.join(runCache(), '2.json');
        const sidecar = JSON.parse(readFileSync(saved, 'utf8')) as { columns: { reward: number[] } };
        sidecar.columns.reward[0] = 42;
        writeFileSync(saved, JSON.stringify(sidecar));
        const reopened = await new RunDirService({ cacheDir }).index(root);
        expect(reopened.steps[1]!.rollouts[0]!.reward).toBe(42);
        expect(reopened.steps[1]!.rollouts.slice(1)).toEqual(first.steps[1]!.rollouts.slice(1));
        expect(reopened.steps[1]!.aggregates).toEqual(first.steps[1]!.aggregates);
        // Same size, same mtime, other bytes: the head hash differs, so the step is scanned again.
        rewriteSameSizeAndMtime(file, (text) => text.replace(/^\{"step":2,"rollout":0/, '{"step":2,"rollout":9'));
        const rebuilt = await new RunDirService({ cacheDir }).index(root);
        expect(rebuilt.steps[1]!.rollouts[0]!.rollout).toBe(9);
        expect(rebuilt.steps[1]!.rollouts[0]!.reward).toBe(first.steps[1]!.rollouts[0]!.reward);
        // Garbage of the same size and mtime is reported, not hidden behind the old saved index.
        rewriteSameSizeAndMtime(file, (text) => 'x'.repeat(text.length - 1) + '\n');
        const garbage = await new RunDirService({ cacheDir }).index(root);
        expect(garbage.steps[1]!.rollouts).toEqual([]);
        expect(garbage.issues.map(formatIssue)).toEqual([
            expect.stringMatching(/^trajectories\/2\.jsonl:1: line is not valid JSON/),
        ]);
    });

    it('ignores a damaged saved index and rebuilds it', async () => {
        const { root, cacheDir, runCache } = setup();
        const first = await new RunDirService({ cacheDir }).index(root);
        writeFileSync(path.join(runCache(), '1.json'), '{"version":2,"entry":');
        const sidecar = JSON.parse(readFileSync(path.join(runCache(), '3.json'), 'utf8')) as {
            columns: { line: number[] };
        };
        sidecar.columns.line.pop();
        writeFileSync(path.join(runCache(), '3.json'), JSON.stringify(sidecar));
        const reopened = await new RunDirService({ cacheDir }).index(root);
        expect(reopened.steps).toEqual(first.steps);
        expect(reopened.issues).toEqual([]);
    });

    it('saves one index per step file and nothing else (no whole-run aggregates file: nothing reads one)', async () => {
        const { root, cacheDir, runCache } = setup();
        const index = await new RunDirService({ cacheDir }).index(root);
        expect(readdirSync(runCache()).sort()).toEqual(index.steps.map((s) => `${s.step}.json`).sort());
    });
});
