import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { buildJob, corpusVocabulary } from './corpus.js';
import { loadSeeds } from './seeds.js';
import { runPool, type JobOutcome, type PooledJob } from './watchdog-pool.js';

/**
 * Mutation fuzzing of the whole language server pipeline. Environment:
 * FUZZ_MUTANTS (default 10 000), FUZZ_SEED (default: random, printed), FUZZ_ONLY (comma-separated
 * job indices to replay), FUZZ_WORKERS (default 2).
 */
const repoRoot = resolve(import.meta.dirname, '..', '..');
const regressionDir = join(repoRoot, 'test', 'fixtures', 'fuzz-regressions');
const mutantCount = Number(process.env.FUZZ_MUTANTS ?? 10_000);
const runSeed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
const workerCount = Number(process.env.FUZZ_WORKERS ?? 2);
const onlyIndices = process.env.FUZZ_ONLY?.split(',').map(Number);

/** Worker threads cannot load TypeScript: bundle the worker (and the language it runs) first. */
async function bundleWorker(): Promise<string> {
    const outfile = join(mkdtempSync(join(tmpdir(), 'mas-fuzz-')), 'fuzz-worker.mjs');
    await build({
        entryPoints: [join(import.meta.dirname, 'fuzz-worker.ts')],
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile,
        logLevel: 'warning',
        banner: {
            js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        },
    });
    return outfile;
}

function describeFailure(outcome: JobOutcome): string | undefined {
    switch (outcome.kind) {
        case 'hang':
            return `hang: no answer within ${outcome.limitMillis} ms`;
        case 'crash':
            return `worker crash: ${outcome.error}`;
        case 'answered':
            if (outcome.result.error) {
                return `exception: ${outcome.result.error}`;
            }
            return outcome.result.problems.length ? `wrong answer: ${outcome.result.problems.join('; ')}` : undefined;
    }
}

function saveRegression(job: PooledJob, failure: string): string {
    mkdirSync(regressionDir, { recursive: true });
    const file = join(regressionDir, `seed${runSeed}-job${job.index}.mas`);
    writeFileSync(file, job.text);
    writeFileSync(file.replace(/\.mas$/, '.txt'), `${failure}\n`);
    return file;
}

describe('mutation fuzzing', () => {
    it(`survives ${mutantCount} mutants with no exception, hang or out-of-range diagnostic`, async () => {
        console.log(`fuzz seed ${runSeed} (replay: FUZZ_SEED=${runSeed} [FUZZ_ONLY=<job>] npm run test:fuzz)`);
        const seeds = loadSeeds(repoRoot);
        const vocabulary = corpusVocabulary(seeds);
        const indices = onlyIndices ?? Array.from({ length: mutantCount }, (_, i) => i);
        const jobs = indices.map((index) => buildJob(runSeed, index, seeds, vocabulary));
        const workerFile = await bundleWorker();
        const failures: string[] = [];
        const slowest = { millis: 0, name: '' };
        const started = performance.now();
        await runPool(workerFile, workerCount, jobs, (job, outcome) => {
            if (outcome.kind === 'answered' && outcome.millis > slowest.millis) {
                Object.assign(slowest, { millis: outcome.millis, name: job.name });
            }
            const failure = describeFailure(outcome);
            if (failure) {
                const file = saveRegression(job, failure);
                failures.push(
                    `job ${job.index} (${jobs.find((j) => j.index === job.index)?.origin}): ${failure.slice(0, 600)} -> ${file}`,
                );
            }
        });
        const seconds = (performance.now() - started) / 1000;
        console.log(
            `fuzz: ${jobs.length} documents from ${seeds.length} seeds in ${seconds.toFixed(1)} s ` +
                `on ${workerCount} workers; ${failures.length} failures; slowest ${slowest.name} ${slowest.millis.toFixed(0)} ms`,
        );
        for (const failure of failures.slice(0, 20)) {
            console.log(failure);
        }
        expect(failures.length, 'failing mutants (saved under test/fixtures/fuzz-regressions/)').toBe(0);
    });
});
