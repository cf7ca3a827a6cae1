import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeGrid } from '../../analysis/run-dir/report-data.js';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { rolloutView } from '../../analysis/run-dir/view-model.js';
import { escapeJsonForHtml } from '../../analysis/run-dir/report/report-html.js';
import { parseStepRange } from '../../server/src/cli/report-command.js';
import { copyFixtureRunWithShapley, FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';
import { readStepLines, recordWithAgents, writeStepLines } from '../analysis/run-dir/hostile-run.js';
import {
    buildReportBundles,
    embeddedData,
    hostileRun,
    masReport,
    scratchDir,
    SPECIAL_OUTPUTS,
} from './report-helpers.js';

const scratch = scratchDir();
const bundles = path.join(scratch, 'webview');
const read = (name: string) => readFileSync(path.join(scratch, name), 'utf8');
const oneLine = (text: string) => expect(text).toMatch(/^mas report: [^\n]+\n$/);

describe('mas report', () => {
    beforeAll(async () => buildReportBundles(bundles), 60_000);
    afterAll(() => rmSync(scratch, { recursive: true, force: true }));

    it('skips a line naming 11 000 agents with the count and the cap, and reports the rest of its step (F5)', async () => {
        const root = path.join(scratch, 'many-agents-run');
        cpSync(FIXTURE_RUN, root, { recursive: true });
        const agents = Array.from({ length: 11_000 }, (_, i) => `agent-${i}`);
        writeStepLines(root, 1, [...readStepLines(root, 1), recordWithAgents(root, agents)]);
        const result = await masReport(scratch, bundles, root, '-o', 'many-agents.html');
        expect(result.code).toBe(0);
        expect(result.stderr).toContain(
            "mas report: 1 line(s) or file(s) skipped (listed in the report), e.g. trajectories/1.jsonl:13: 'turns' name 11000 distinct agents, more than the 256 a run may have (MAX_AGENTS_PER_RUN); skipped\n",
        );
        expect(embeddedData(read('many-agents.html')).steps.map((s) => s.rollouts.length)).toEqual([12, 12, 12]);
    });

    it('writes one self-contained file: hashed inline scripts under default-src none, every step as inert JSON', async () => {
        const result = await masReport(scratch, bundles, FIXTURE_RUN, '-o', 'fixture.html', '--tokens');
        expect(result).toMatchObject({ code: 0, stdout: '' });
        expect(result.stderr).toMatch(/^mas report: wrote fixture\.html \(\d+\.\d+ MB\)\n$/);
        const html = read('fixture.html');
        const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1]!;
        expect(csp.split('; ')[0]).toBe("default-src 'none'");
        expect(csp).not.toMatch(/unsafe|https?:|file:|\*/);
        // Every executable script is inline and its exact text hashes to a source the CSP lists; nothing is loaded.
        const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
        expect(scripts).toHaveLength(2);
        for (const text of scripts)
            expect(csp).toContain(`'sha256-${createHash('sha256').update(text).digest('base64')}'`);
        expect(html).not.toMatch(/<script[^>]* src=|<link |sourceMappingURL/);
        const data = embeddedData(html);
        expect(data.run.steps.map((s) => s.step)).toEqual([1, 2, 3]);
        expect(data.steps.map((s) => s.rollouts.length)).toEqual([12, 12, 12]);
        expect(data.steps[0]!.groups.map((g) => g.members.length)).toEqual([4, 4, 4]);
        expect(Object.keys(data.steps[0]!.heatmaps)).toEqual(data.run.creditMethods);
        // The precomputed views are what the extension host would send for the same rollout.
        const reader = new RunDirService();
        const index = await reader.index(FIXTURE_RUN);
        const hostView = rolloutView(index, await reader.rollout(FIXTURE_RUN, 2, 5));
        const embedded = data.steps[1]!.rollouts.find((r) => r.record.rollout === 5)!;
        expect(data.steps[1]!.agreement).toEqual(hostView.agreement);
        expect(embedded.record).toEqual(hostView.record);
        expect(embedded.heatmaps['outcome']).toEqual(encodeGrid(hostView.heatmaps['outcome']!));
        // Shared files carry no local path of the author's machine.
        expect(data.run.root).toBe('lazy-team-3steps');
        expect(html).not.toContain(FIXTURE_RUN);
    });

    it('escapes <, >, & and U+2028 in the embedded JSON so model output cannot leave it, and keeps it exact', async () => {
        const root = hostileRun(scratch);
        const result = await masReport(scratch, bundles, root, '-o', 'hostile.html');
        expect(result.code).toBe(0);
        const html = read('hostile.html');
        const open = '<script type="application/json" id="mas-report-data">';
        const json = html.slice(html.indexOf(open) + open.length, html.indexOf('</script>', html.indexOf(open)));
        expect(json.length).toBeGreaterThan(10_000);
        expect(json).not.toMatch(/[<>&\u2028\u2029]/);
        // Only the page's own three script elements exist, however many `<script>` the outputs hold.
        expect(html.match(/<script/gi)).toHaveLength(3);
        expect(html.match(/<\/script/gi)).toHaveLength(3);
        const outputs = embeddedData(html).steps[0]!.rollouts[0]!.record.turns.map((t) => t.output);
        expect(outputs).toEqual(SPECIAL_OUTPUTS.slice(0, 3));
    });

    it('escapeJsonForHtml turns the dangerous characters into \\u escapes that JSON.parse reverses', () => {
        const value = { s: '</script><!-- & \u2028\u2029 >' };
        const escaped = escapeJsonForHtml(JSON.stringify(value));
        expect(escaped).not.toMatch(/[<>&\u2028\u2029]/);
        expect(escaped).toContain('\\u003c/script\\u003e');
        expect(JSON.parse(escaped)).toEqual(value);
    });

    it('--steps picks a range; --max-mb refuses a report that is too large, says what to do and writes nothing', async () => {
        const picked = await masReport(scratch, bundles, FIXTURE_RUN, '--steps', '2-3', '-o', 'steps.html');
        expect(picked.code).toBe(0);
        const data = embeddedData(read('steps.html'));
        expect(data.steps.map((s) => s.step)).toEqual([2, 3]);
        expect(data.run.steps.map((s) => s.step)).toEqual([2, 3]);
        const tooLarge = await masReport(scratch, bundles, FIXTURE_RUN, '--max-mb', '0.05', '-o', 'large.html');
        expect(tooLarge.code).toBe(1);
        oneLine(tooLarge.stderr);
        expect(tooLarge.stderr).toMatch(/larger than 0\.05 MB .*--steps a-b.*--max-mb/);
        expect(existsSync(path.join(scratch, 'large.html'))).toBe(false);
        const outside = await masReport(scratch, bundles, FIXTURE_RUN, '--steps', '7-9');
        expect(outside.code).toBe(2);
        expect(outside.stderr).toBe(
            `mas report: ${FIXTURE_RUN} has no step in 7-9 (its steps: 1-3); choose a range it has.\n`,
        );
    });

    it("embeds the per-agent run summary over the report's steps, the lazy agent flagged", async () => {
        const root = copyFixtureRunWithShapley(path.join(scratch, 'shapley-run'));
        expect((await masReport(scratch, bundles, root, '--steps', '2-3', '-o', 'shapley.html')).code).toBe(0);
        const summary = embeddedData(read('shapley.html')).run.agentSummary;
        expect(summary.separating).toEqual(['shapley', 'difference']);
        // Two steps of 12 rollouts: 24 decisions per agent under each estimator, not the run's 36.
        expect(summary.rows.map((r) => r.cells.map((c) => c.decisions))).toEqual(
            Array.from({ length: 3 }, () => [24, 24, 24, 24, 24]),
        );
        expect(summary.rows.map((r) => r.lazy ?? null)).toEqual([
            null,
            null,
            'lazy: 0 % of the credit under shapley, difference',
        ]);
        expect((await masReport(scratch, bundles, FIXTURE_RUN, '-o', 'plain.html')).code).toBe(0);
        const plain = embeddedData(read('plain.html')).run.agentSummary;
        expect(plain.rows.map((r) => r.cells[0]!.decisions)).toEqual([36, 36, 36]);
        expect(plain.note).toContain('`record_credit: all`');
    });

    it('answers a bad run directory, bad options and a missing build with one line and exit 2 (1 for a damaged run)', async () => {
        const missing = await masReport(scratch, bundles, 'no-such-run');
        expect(missing.code).toBe(2);
        expect(missing.stderr).toBe(
            'mas report: no-such-run is not a run directory; give a folder written by the trainer (runs/<name>/).\n',
        );
        const empty = path.join(scratch, 'empty-run');
        mkdirSync(empty);
        const noRunJson = await masReport(scratch, bundles, empty);
        expect(noRunJson.code).toBe(1);
        oneLine(noRunJson.stderr);
        expect(noRunJson.stderr).toContain('no run.json here');
        const damaged = path.join(scratch, 'damaged-run');
        mkdirSync(damaged);
        writeFileSync(path.join(damaged, 'run.json'), '{"version": 1,\n');
        const bad = await masReport(scratch, bundles, damaged);
        expect(bad.code).toBe(1);
        oneLine(bad.stderr);
        for (const argv of [
            [],
            [FIXTURE_RUN, FIXTURE_RUN],
            [FIXTURE_RUN, '--steps', '3-1'],
            [FIXTURE_RUN, '--steps', 'x'],
            [FIXTURE_RUN, '--max-mb', '-1'],
            [FIXTURE_RUN, '--bogus'],
        ]) {
            const usage = await masReport(scratch, bundles, ...argv);
            expect(usage.code, argv.join(' ')).toBe(2);
            oneLine(usage.stderr);
        }
        const unbuilt = await masReport(scratch, path.join(scratch, 'nowhere'), FIXTURE_RUN);
        expect(unbuilt.code).toBe(2);
        expect(unbuilt.stderr).toMatch(/^mas report: .*trajectory\.js is missing; run "npm run build"[^\n]*\n$/);
        const unwritable = await masReport(scratch, bundles, FIXTURE_RUN, '-o', 'no/such/folder.html');
        expect(unwritable.code).toBe(2);
        oneLine(unwritable.stderr);
    });

    it('parses step ranges', () => {
        expect(parseStepRange('3')).toEqual({ from: 3, to: 3 });
        expect(parseStepRange('2-5')).toEqual({ from: 2, to: 5 });
        expect(parseStepRange('4-')).toEqual({ from: 4, to: Number.MAX_SAFE_INTEGER });
        expect(parseStepRange('-4')).toEqual({ from: 0, to: 4 });
        for (const bad of ['', '-', 'a-b', '1-2-3', '5-2', '1.5']) expect(() => parseStepRange(bad), bad).toThrow();
    });
});
