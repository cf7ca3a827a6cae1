import * as esbuild from 'esbuild';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decisionPrefixes } from '../../../analysis/critic/transcript.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { OnnxCriticScorer } from '../../../client/src/onnx/critic-scorer.js';
import { TrajectoryController } from '../../../client/src/views/trajectory/controller.js';
import type { TrajectoryRecord } from '../../../protocol/run-dir.js';
import type { TrajectoryToView } from '../../../protocol/trajectory-messages.js';
import { copyFixtureRun } from '../../analysis/run-dir/fixture-run.js';

const REPO = fileURLToPath(new URL('../../..', import.meta.url));
const CRITIC = path.join(REPO, 'test/fixtures/critic');
const expected = JSON.parse(readFileSync(path.join(CRITIC, 'expected.json'), 'utf8')) as {
    turns: TrajectoryRecord['turns'][];
    texts: string[];
    values: number[];
};

let inRepo: string, outside: string, run: { root: string; dispose: () => void };
const build = (outfile: string) =>
    esbuild.build({
        entryPoints: ['client/src/onnx/critic-worker.ts'],
        outfile,
        bundle: true,
        platform: 'node',
        format: 'cjs',
        external: ['onnxruntime-node'],
        logLevel: 'error',
    });
beforeAll(async () => {
    // The worker resolves onnxruntime-node from its own folder: inside the repository it finds node_modules, in the
    // system temp folder it does not (the "cannot load" case).
    mkdirSync(path.join(REPO, '.cache'), { recursive: true });
    inRepo = mkdtempSync(path.join(REPO, '.cache', 'critic-worker-'));
    outside = mkdtempSync(path.join(tmpdir(), 'critic-worker-'));
    await Promise.all([build(path.join(inRepo, 'critic-worker.cjs')), build(path.join(outside, 'critic-worker.cjs'))]);
    run = copyFixtureRun();
    for (const f of ['critic.onnx', 'critic.onnx.json']) copyFileSync(path.join(CRITIC, f), path.join(run.root, f));
}, 60_000);
afterAll(() => {
    rmSync(inRepo, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
    run.dispose();
});

describe('what-if critic (onnxruntime-node in a worker)', () => {
    it('refuses a critic.onnx.json nested 5 000 deep or a FIFO, with the file named, before starting the worker', async () => {
        const hostile = copyFixtureRun();
        const scorer = new OnnxCriticScorer(path.join(inRepo, 'critic-worker.cjs'), () => true);
        try {
            copyFileSync(path.join(CRITIC, 'critic.onnx'), path.join(hostile.root, 'critic.onnx'));
            const sidecar = path.join(hostile.root, 'critic.onnx.json');
            writeFileSync(sidecar, '['.repeat(5000) + ']'.repeat(5000));
            await expect(scorer.values(hostile.root, expected.turns[0]!)).rejects.toThrow(
                /critic\.onnx\.json: nested deeper than 1000 levels/,
            );
            if (process.platform === 'linux') {
                rmSync(sidecar);
                execFileSync('mkfifo', [sidecar]);
                await expect(scorer.values(hostile.root, expected.turns[0]!)).rejects.toThrow(
                    /critic\.onnx\.json is a FIFO/,
                );
            }
        } finally {
            await scorer.dispose();
            hostile.dispose();
        }
    });

    it("gives the trainer's PyTorch values within 1e-5 for the same transcripts", async () => {
        const scorer = new OnnxCriticScorer(path.join(inRepo, 'critic-worker.cjs'), () => true);
        try {
            expect(await scorer.available(run.root)).toBe(true);
            let at = 0,
                maxDiff = 0;
            for (const turns of expected.turns) {
                const values = await scorer.values(run.root, turns);
                const n = decisionPrefixes(turns).length;
                expect(values).toHaveLength(n);
                values.forEach((v, i) => {
                    maxDiff = Math.max(maxDiff, Math.abs(v - expected.values[at + i]!));
                });
                at += n;
            }
            expect(maxDiff).toBeLessThanOrEqual(1e-5);
        } finally {
            await scorer.dispose();
        }
    });

    it('recomputes critic credit for an edited message through the trajectory controller', async () => {
        const scorer = new OnnxCriticScorer(path.join(inRepo, 'critic-worker.cjs'), () => true);
        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({
            reader: new RunDirService(),
            root: run.root,
            post: (m) => posted.push(m),
            critic: scorer,
        });
        try {
            const result = await controller.whatIf(1, 0, 0, 'a different first message');
            const critic = result.critic;
            if (!critic || 'error' in critic) throw new Error(`critic not recomputed: ${JSON.stringify(critic)}`);
            expect(critic.before).toHaveLength(3);
            expect(critic.after).toHaveLength(3);
            // Credit of decision 0 is r + V(h_1) − V(h_0); h_1 contains the edited message, so it moves.
            expect(critic.after[0]).not.toBeCloseTo(critic.before[0]!, 9);
            // Which critic it was: the one exported at the sidecar's step, said beside step 1's what-if (bug B9).
            const exported = (
                JSON.parse(readFileSync(path.join(run.root, 'critic.onnx.json'), 'utf8')) as { step: number }
            ).step;
            expect(critic.criticStep).toBe(exported);
        } finally {
            await scorer.dispose();
        }
    });

    it('explains why when onnxruntime-node cannot load, and the rubric part still works', async () => {
        const scorer = new OnnxCriticScorer(path.join(outside, 'critic-worker.cjs'), () => true);
        const controller = new TrajectoryController({
            reader: new RunDirService(),
            root: run.root,
            post: () => undefined,
            critic: scorer,
        });
        try {
            const result = await controller.whatIf(1, 0, 0, 'x');
            expect(result.critic).toEqual({ error: expect.stringMatching(/onnxruntime-node could not be loaded/) });
            expect(result.after.criteria).toHaveLength(2);
        } finally {
            await scorer.dispose();
        }
    });

    it('does not load the model in an untrusted workspace', async () => {
        const scorer = new OnnxCriticScorer(path.join(inRepo, 'critic-worker.cjs'), () => false);
        const result = await new TrajectoryController({
            reader: new RunDirService(),
            root: run.root,
            post: () => undefined,
            critic: scorer,
        }).whatIf(1, 0, 1, 'y');
        expect(result.critic).toEqual({ error: expect.stringMatching(/not trusted/) });
        await scorer.dispose();
    });
});
