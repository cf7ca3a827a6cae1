import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { RunDirWorkerClient } from '../../../analysis/run-dir/worker-client.js';
import { buildRunDirWorker } from './build-worker.js';
import { copyFixtureRun, FIXTURE_RUN } from './fixture-run.js';

// The extension loads out/run-dir-worker.cjs; build the same entry here so the test runs the real worker code.
let dir: string;
let workerFile: string;
beforeAll(async () => {
    ({ dir, workerFile } = await buildRunDirWorker('mas-worker-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run reader worker', () => {
    it('answers like the in-thread service, from another thread', async () => {
        const client = new RunDirWorkerClient(workerFile);
        try {
            const [viaWorker, direct] = await Promise.all([
                client.index(FIXTURE_RUN),
                new RunDirService().index(FIXTURE_RUN),
            ]);
            expect(client.threadId).toBeDefined();
            expect(client.threadId).not.toBe(threadId);
            expect(viaWorker).toEqual(direct);
            const record = await client.rollout(FIXTURE_RUN, 3, 5);
            expect([record.step, record.rollout]).toEqual([3, 5]);
            expect((await client.group(FIXTURE_RUN, 1, 2)).map((r) => r.rollout)).toEqual([8, 9, 10, 11]);
        } finally {
            await client.dispose();
        }
    });

    it('scores what-ifs and re-scores the run in the worker, with the same answers as the in-thread service', async () => {
        const client = new RunDirWorkerClient(workerFile);
        const direct = new RunDirService();
        try {
            const whatIf = await client.whatIf(FIXTURE_RUN, 2, 1, 0, 'edited');
            expect(client.threadId).not.toBe(threadId);
            expect(whatIf).toEqual(await direct.whatIf(FIXTURE_RUN, 2, 1, 0, 'edited'));
            expect(whatIf.after.criteria.map((c) => c.name)).toEqual(['first_part', 'second_part']);
            const index = await direct.index(FIXTURE_RUN);
            const settings = {
                rubric: index.run.spec.rubrics[0]!,
                level: 'trajectory' as const,
                method: 'outcome',
                params: {},
                source: 'run.json',
            };
            const rescored = await client.rescore(FIXTURE_RUN, settings);
            expect(rescored.rows.length).toBe(index.steps.reduce((n, s) => n + s.rollouts.length, 0));
            expect(rescored).toEqual(await direct.rescore(FIXTURE_RUN, settings));
            await expect(client.whatIf(FIXTURE_RUN, 2, 1, 9, 'x')).rejects.toThrow(/turn 9 does not exist/);
        } finally {
            await client.dispose();
        }
    });

    it('passes errors back as rejections with the reason', async () => {
        const client = new RunDirWorkerClient(workerFile);
        try {
            await expect(client.index(path.join(FIXTURE_RUN, 'nowhere'))).rejects.toThrow(/no such run directory/);
            await expect(client.rollout(FIXTURE_RUN, 1, 42)).rejects.toThrow(/no rollout 42/);
        } finally {
            await client.dispose();
        }
    });

    it('survives depth bombs in metrics.jsonl and run.json (5 000 levels): a warning, then an error, same worker', async () => {
        const run = copyFixtureRun();
        const client = new RunDirWorkerClient(workerFile);
        try {
            const deep = '['.repeat(5000) + ']'.repeat(5000);
            appendFileSync(path.join(run.root, 'metrics.jsonl'), `{"step":4,"reward_mean":0,"criteria":${deep}}\n`);
            const index = await client.index(run.root);
            const worker = client.threadId;
            expect(index.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
            expect(index.issues.map((i) => `${i.file}:${i.line}`)).toEqual(['metrics.jsonl:4']);
            const runJson = JSON.stringify(JSON.parse(readFileSync(path.join(run.root, 'run.json'), 'utf8')));
            writeFileSync(path.join(run.root, 'run.json'), runJson.replace('"error":null', `"error":${deep}`));
            await expect(client.index(run.root)).rejects.toThrow(/nested deeper than 1000 levels/);
            expect(client.threadId).toBe(worker);
        } finally {
            await client.dispose();
            run.dispose();
        }
    });
});
