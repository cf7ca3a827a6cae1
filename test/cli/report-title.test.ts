import { createHash } from 'node:crypto';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSource } from '../../analysis/run-dir/report-source.js';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';
import { buildReportBundles, embeddedData, masReport, scratchDir } from './report-helpers.js';

const scratch = scratchDir();
const bundles = path.join(scratch, 'webview');
const read = (name: string) => readFileSync(path.join(scratch, name), 'utf8');
const singleFileHash = (text: string) => createHash('sha256').update(text, 'utf8').update('\0').digest('hex');

/** A copy of the fixture run whose run.json records `source` as given. */
function runRecording(name: string, source: { file: string; sha256: string }): string {
    const root = path.join(scratch, name);
    cpSync(FIXTURE_RUN, root, { recursive: true });
    const file = path.join(root, 'run.json');
    const run = JSON.parse(readFileSync(file, 'utf8')) as { spec: { source: unknown } };
    run.spec.source = source;
    writeFileSync(file, JSON.stringify(run));
    return root;
}

describe('mas report: title block, curves, source and token arrays', () => {
    beforeAll(async () => buildReportBundles(bundles), 60_000);
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('embeds the title facts and every metrics line, computed from the run', async () => {
        expect((await masReport(scratch, bundles, FIXTURE_RUN, '--steps', '3', '-o', 'title.html')).code).toBe(0);
        const data = embeddedData(read('title.html'));
        const index = await new RunDirService().index(FIXTURE_RUN);
        const rewards = index.metrics.map((m) => m.reward_mean!);
        const best = Math.max(...rewards);
        expect(data.header).toMatchObject({
            workflow: index.run.workflow,
            status: index.run.status,
            credit: index.run.spec.train.credit.method,
            stepsCompleted: index.run.steps_completed,
            final: { step: 3, reward: rewards[2], success: index.metrics[2]!.success },
            best: { step: rewards.indexOf(best) + 1, reward: best },
        });
        // The curves cover the whole run even when --steps picks one step.
        expect(data.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
        expect(data.steps.map((s) => s.step)).toEqual([3]);
    });

    it('leaves token arrays out unless --tokens, keeping their lengths; the file shrinks', async () => {
        expect((await masReport(scratch, bundles, FIXTURE_RUN, '-o', 'lean.html')).code).toBe(0);
        expect((await masReport(scratch, bundles, FIXTURE_RUN, '--tokens', '-o', 'full.html')).code).toBe(0);
        const lean = embeddedData(read('lean.html'));
        const full = embeddedData(read('full.html'));
        expect([lean.tokens, full.tokens]).toEqual([false, true]);
        const leanRollout = lean.steps[0]!.rollouts[0]!;
        const fullRollout = full.steps[0]!.rollouts[0]!;
        expect(leanRollout.record.turns.every((t) => t.token_ids.length === 0 && t.logprobs.length === 0)).toBe(true);
        expect(leanRollout.tokenCounts).toEqual(fullRollout.record.turns.map((t) => t.token_ids.length));
        expect(fullRollout.tokenCounts).toBeUndefined();
        expect(fullRollout.record.turns.some((t) => t.token_ids.length > 0)).toBe(true);
        expect(read('lean.html').length).toBeLessThan(read('full.html').length);
    });

    it('embeds the recorded .mas only when its bytes have the recorded sha256 (run.json may come from anyone)', async () => {
        const mas = path.join(scratch, 'team.mas');
        const text = 'workflow Team\n// the source\n';
        writeFileSync(mas, text);
        const good = runRecording('good-source', { file: mas, sha256: singleFileHash(text) });
        expect((await masReport(scratch, bundles, good, '-o', 'good.html')).code).toBe(0);
        expect(embeddedData(read('good.html')).source).toEqual({ file: 'team.mas', text });

        // A crafted run.json naming a local file it cannot hash: the file's content stays out of the shared report.
        const secret = path.join(scratch, 'secret.txt');
        writeFileSync(secret, 'TOP-SECRET-TOKEN');
        const crafted = runRecording('crafted-source', { file: secret, sha256: '0'.repeat(64) });
        expect((await masReport(scratch, bundles, crafted, '-o', 'crafted.html')).code).toBe(0);
        expect(read('crafted.html')).not.toContain('TOP-SECRET-TOKEN');
        expect(embeddedData(read('crafted.html')).source).toMatchObject({ file: 'secret.txt' });
        expect('omitted' in embeddedData(read('crafted.html')).source).toBe(true);

        // --source is the user's own choice: embedded, with a note when it is not what was trained.
        writeFileSync(mas, `${text}// edited since\n`);
        const given = await masReport(scratch, bundles, good, '--source', 'team.mas', '-o', 'given.html');
        expect(given.code).toBe(0);
        expect(embeddedData(read('given.html')).source).toMatchObject({
            file: 'team.mas',
            text: `${text}// edited since\n`,
            note: expect.stringContaining('may differ') as unknown,
        });
    });

    it('reportSource says why a source is left out: none recorded, missing, not a regular file', async () => {
        expect(await reportSource(undefined, undefined)).toMatchObject({
            omitted: expect.stringContaining('--source'),
        });
        const missing = await reportSource({ file: path.join(scratch, 'gone.mas'), sha256: 'x' }, undefined);
        expect(missing).toMatchObject({ file: 'gone.mas', omitted: expect.stringContaining('not found') });
        const folder = await reportSource({ file: scratch, sha256: 'x' }, undefined);
        expect('omitted' in folder).toBe(true);
    });
});
