// What-if and re-score evaluate rubric expressions (user regexes over model output): the controller asks the run
// reader's worker for them, with a deadline per call, and never loads the evaluator on the extension host's thread.
import * as esbuild from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunDirWorkerClient } from '../../analysis/run-dir/worker-client.js';
import { TrajectoryController } from '../../client/src/views/trajectory/controller.js';
import type { TrajectoryToView } from '../../protocol/trajectory-messages.js';
import { buildRunDirWorker } from '../analysis/run-dir/build-worker.js';
import { FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';

let dir: string;
let stuckWorkerFile: string;
beforeAll(async () => {
    ({ dir } = await buildRunDirWorker('mas-scoring-'));
    // The real worker, plus a listener that runs first and never returns from a what-if of the output 'SPIN' (or a
    // re-score of a rubric from 'SPIN'): the
    // thread is stuck as in a regex that backtracks for ever (which the test cannot rely on once regexes are linear).
    stuckWorkerFile = path.join(dir, 'stuck-worker.cjs');
    writeFileSync(
        stuckWorkerFile,
        `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (request) => {
    const spin = (request.method === 'whatIf' && request.args[4] === 'SPIN') || (request.method === 'rescore' && request.args[1].source === 'SPIN');
    if (spin) for (;;) {}
});
require('./run-dir-worker.cjs');
`,
    );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('TrajectoryController scoring', () => {
    it('bundles no expression evaluator and no rubric scoring: they run in the worker only', async () => {
        const result = await esbuild.build({
            entryPoints: ['client/src/views/trajectory/controller.ts'],
            bundle: true,
            write: false,
            metafile: true,
            platform: 'node',
            format: 'esm',
            logLevel: 'error',
        });
        const inputs = Object.keys(result.metafile.inputs);
        expect(inputs).toContain('client/src/views/trajectory/controller.ts');
        expect(inputs.filter((file) => /^analysis\/(expression|rubric)\/|score-rollout|rescore/.test(file))).toEqual(
            [],
        );
    });

    it('a what-if stuck past its deadline is stopped with a clear message, and the next what-if is answered', async () => {
        const reader = new RunDirWorkerClient(stuckWorkerFile, {}, { whatIfMs: 2000, rescoreMs: 2000 });
        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({ reader, root: FIXTURE_RUN, post: (m) => posted.push(m) });
        try {
            await controller.handle({ type: 'ready' });
            const stuckThread = reader.threadId;
            await controller.handle({ type: 'trajectory/whatIf', step: 2, rollout: 1, turn: 0, output: 'SPIN' });
            expect(posted.at(-1)).toEqual({
                type: 'trajectory/notice',
                severity: 'error',
                message: expect.stringMatching(
                    /^What-if scoring took longer than 2 s and was stopped: a regex in the rubric may backtrack catastrophically/,
                ),
            });
            expect(reader.threadId).toBeUndefined(); // the stuck worker was ended

            await controller.handle({ type: 'trajectory/whatIf', step: 2, rollout: 1, turn: 0, output: 'edited' });
            const answer = posted.at(-1);
            expect(answer?.type).toBe('trajectory/whatIf');
            if (answer?.type === 'trajectory/whatIf')
                expect(answer.result.after.criteria.map((c) => c.name)).toEqual(['first_part', 'second_part']);
            expect(reader.threadId).toBeDefined();
            expect(reader.threadId).not.toBe(stuckThread);
        } finally {
            await reader.dispose();
        }
    });

    it('a re-score stuck past its deadline is stopped with the same message, and the next re-score is answered', async () => {
        const reader = new RunDirWorkerClient(stuckWorkerFile, {}, { whatIfMs: 2000, rescoreMs: 2000 });
        const posted: TrajectoryToView[] = [];
        let source = 'SPIN';
        const controller = new TrajectoryController({
            reader,
            root: FIXTURE_RUN,
            post: (m) => posted.push(m),
            loadRubric: async (index) => ({
                rubric: index.run.spec.rubrics[0]!,
                level: index.run.spec.reward.level,
                source,
            }),
        });
        try {
            await controller.handle({ type: 'trajectory/rescore' });
            // Shown beside the re-score button, not in the notices at the top of the page (first-hour bug B3).
            expect(posted.at(-1)).toEqual({
                type: 'trajectory/rescoreFailed',
                message: expect.stringMatching(
                    /^Re-scoring the run took longer than 2 s and was stopped: a regex in the rubric may backtrack/,
                ),
            });
            source = 'parts.mas';
            await controller.handle({ type: 'trajectory/rescore' });
            const answer = posted.at(-1);
            expect(answer?.type).toBe('trajectory/rescore');
            if (answer?.type === 'trajectory/rescore') expect(answer.result.source).toBe('parts.mas');
        } finally {
            await reader.dispose();
        }
    });
});
