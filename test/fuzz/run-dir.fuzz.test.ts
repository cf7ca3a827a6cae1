import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildReportData } from '../../analysis/run-dir/report-data.js';
import { creditMethods } from '../../analysis/run-dir/view-model.js';
import { RunDirWorkerClient } from '../../analysis/run-dir/worker-client.js';
import { buildRunDirWorker } from '../analysis/run-dir/build-worker.js';
import { copyFixtureRun } from '../analysis/run-dir/fixture-run.js';
import { wholeRunGrid } from '../analysis/run-dir/hostile-run.js';
import { mutantSeed, Prng } from './prng.js';
import { applyMutant, MUTANT_KINDS, type MutantKind, type RunDirMutant } from './run-dir-mutants.js';

/**
 * Hostile run directories against the real run-reader worker (the one the extension runs), then `mas report`'s data
 * path over it: index, every step read back, every credit method's whole-run heatmap. Environment:
 * RUN_DIR_MUTANTS (per kind, default 25), FUZZ_SEED (default: random, printed). Linux (FIFOs come from mkfifo).
 */
const perKind = Number(process.env.RUN_DIR_MUTANTS ?? 25);
const runSeed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) >>> 0 : (Math.random() * 2 ** 32) >>> 0;
/** A mutant answers in well under a second; a FIFO waited on or a runaway loop never does. */
const DEADLINE_MILLIS = 30_000;

/** What a refusal of the whole run may say: run.json's own problems, each a sentence naming the file. */
const CLEAR_RUN_JSON_ERROR = /run\.json(: |' is a link| is a FIFO| is a directory)/;
/** Messages that mean an exception escaped, whatever the wording around them. */
const UNEXPECTED =
    /TypeError|RangeError|Maximum call stack|Cannot read properties|is not a function|is not iterable|out of memory|stopped/;

let dir: string;
let workerFile: string;
beforeAll(async () => {
    ({ dir, workerFile } = await buildRunDirWorker('mas-run-fuzz-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Verdict = { ok: true; warned: boolean; refused?: true } | { ok: false; failure: string };

function deadline<T>(work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`hang: no answer within ${DEADLINE_MILLIS} ms`)), DEADLINE_MILLIS);
    });
    return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}

/** Reads the mutated run the way the trajectory view and `mas report` do, through the worker. */
async function readMutant(client: RunDirWorkerClient, root: string, mutant: RunDirMutant): Promise<Verdict> {
    let index;
    try {
        index = await deadline(client.index(root));
    } catch (error) {
        const message = (error as Error).message;
        if (CLEAR_RUN_JSON_ERROR.test(message) && !UNEXPECTED.test(message))
            return { ok: true, warned: true, refused: true };
        return { ok: false, failure: `index: ${message}` };
    }
    try {
        const methods = creditMethods(index);
        await deadline(buildReportData(client, index, { maxBytes: 200_000_000 }));
        for (const method of methods) {
            const grid = wholeRunGrid(index, method);
            if (grid.values.length !== grid.rows.length * grid.columns.length)
                return {
                    ok: false,
                    failure: `heatmap ${method}: ${grid.values.length} values for ${grid.rows.length}×${grid.columns.length}`,
                };
        }
        if (mutant.kind === 'proto-key' && !mutant.warns && mutant.what.startsWith('credit method')) {
            const name = /renamed (\S+)/.exec(mutant.what)![1]!;
            if (!methods.includes(name))
                return { ok: false, failure: `credit method ${name} lost (methods: ${methods.join(', ')})` };
        }
    } catch (error) {
        return { ok: false, failure: `reading: ${(error as Error).message}` };
    }
    return { ok: true, warned: index.issues.length > 0 };
}

describe.runIf(process.platform === 'linux')('hostile run-directory mutants (reader)', () => {
    it(`reads ${perKind} mutants of each kind with no unexpected exception, no hang, and a warning for each`, async () => {
        console.log(
            `run-dir fuzz seed ${runSeed} (replay: FUZZ_SEED=${runSeed} RUN_DIR_MUTANTS=${perKind} npx vitest run --config vitest.fuzz.config.ts test/fuzz/run-dir.fuzz.test.ts)`,
        );
        const counts = Object.fromEntries(
            MUTANT_KINDS.map((k) => [k, { mutants: 0, warned: 0, refusedRunJson: 0 }]),
        ) as Record<MutantKind, { mutants: number; warned: number; refusedRunJson: number }>;
        const failures: string[] = [];
        let client = new RunDirWorkerClient(workerFile);
        try {
            for (const [k, kind] of MUTANT_KINDS.entries()) {
                for (let i = 0; i < perKind; i++) {
                    const prng = new Prng(mutantSeed(runSeed, k * 100_000 + i));
                    const run = copyFixtureRun();
                    try {
                        const mutant = applyMutant(kind, run.root, prng);
                        const verdict = await readMutant(client, run.root, mutant);
                        counts[kind].mutants++;
                        if (!verdict.ok) {
                            failures.push(`${kind} #${i} (${mutant.what}): ${verdict.failure}`);
                            if (verdict.failure.includes('hang')) {
                                await client.dispose();
                                client = new RunDirWorkerClient(workerFile);
                            }
                        } else if (verdict.warned) {
                            counts[kind].warned++;
                            if (verdict.refused) counts[kind].refusedRunJson++;
                        } else if (mutant.warns) failures.push(`${kind} #${i} (${mutant.what}): read with no warning`);
                    } finally {
                        run.dispose();
                    }
                }
            }
        } finally {
            await client.dispose();
        }
        console.table(counts);
        expect(failures).toEqual([]);
        for (const kind of MUTANT_KINDS) expect(counts[kind].mutants).toBe(perKind);
    });
});
