import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { REPORT_DATA_ELEMENT, type ReportData } from '../../protocol/report-data.js';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import { runCli, type CliIo } from '../../server/src/cli/main.js';
import { FIXTURE_RUN } from '../analysis/run-dir/fixture-run.js';
import { hostilePayloads } from '../webview/hostile-payloads.js';
// @ts-expect-error -- plain .mjs build script without type declarations
import { WEBVIEW_ENTRIES, webviewBuildOptions } from '../../scripts/webview-bundles.mjs';

/** Builds the two bundles a report inlines, from the current sources, with the extension's own esbuild options. */
export async function buildReportBundles(outdir: string): Promise<void> {
    const entries = WEBVIEW_ENTRIES as Record<string, string>;
    await esbuild.build({
        ...webviewBuildOptions(outdir),
        logLevel: 'error',
        entryPoints: { trajectory: entries['trajectory']!, 'report-shim': entries['report-shim']! },
    });
}

/** Runs `mas` in-process with the given webview bundle folder. */
export async function masReport(
    cwd: string,
    webviewDir: string | undefined,
    ...argv: string[]
): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '',
        stderr = '';
    const io: CliIo = {
        cwd,
        stdout: (t) => {
            stdout += t;
        },
        stderr: (t) => {
            stderr += t;
        },
        writeFile: (file, text) => writeFile(file, text, 'utf8'),
        ...(webviewDir ? { webviewDir } : {}),
    };
    return { code: await runCli(['report', ...argv], io), stdout, stderr };
}

/** The JSON embedded in a report, parsed back. */
export function embeddedData(html: string): ReportData {
    const open = `<script type="application/json" id="${REPORT_DATA_ELEMENT}">`;
    const start = html.indexOf(open) + open.length;
    return JSON.parse(html.slice(start, html.indexOf('</script>', start))) as ReportData;
}

/** Strings that would end the JSON element, run script or break a JS literal if they were not escaped. */
export const SPECIAL_OUTPUTS = [
    '</script><script>window.__pwned=1</script>',
    '<img src=x onerror="window.__pwned=2">',
    'line\u2028separator\u2029paragraph',
    '<!--<script>window.__pwned=3</script>-->',
    'a & b > c < d &amp; </SCRIPT >',
];

/**
 * A copy of the fixture run whose every string the view shows is hostile: ≥ 500 payloads in outputs, prompts,
 * agent and role names, task fields, criteria and credit method names, plus SPECIAL_OUTPUTS; the directory name too.
 */
export function hostileRun(scratch: string): string {
    const payloads = [...SPECIAL_OUTPUTS, ...hostilePayloads(510)];
    const root = path.join(scratch, '<img src=x onerror="window.__pwned=99">run');
    cpSync(FIXTURE_RUN, root, { recursive: true });
    const base = JSON.parse(
        readFileSync(path.join(FIXTURE_RUN, 'trajectories/1.jsonl'), 'utf8').split('\n')[0]!,
    ) as TrajectoryRecord;
    let k = 0;
    const next = () => payloads[k++ % payloads.length]!;
    const method = next();
    const records = Array.from({ length: 16 }, (_, rollout) => ({
        ...base,
        rollout,
        group: Math.floor(rollout / 4),
        sample: rollout % 4,
        task: { first: next(), second: next() },
        turns: base.turns.map((t, i) => ({
            ...t,
            agent: rollout % 2 ? next() : t.agent,
            role: next(),
            output: rollout === 0 ? SPECIAL_OUTPUTS[i]! : Array.from({ length: 9 }, next).join('\n'),
            prompt: Array.from({ length: 4 }, next).join(' '),
        })),
        criteria: { [next()]: 1 },
        credit: { outcome: [0.5, -0.5, 0], [method]: [1, -2, 3] },
    }));
    rmSync(path.join(root, 'trajectories'), { recursive: true });
    mkdirSync(path.join(root, 'trajectories'));
    writeFileSync(path.join(root, 'trajectories/1.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
    return root;
}

export const scratchDir = (): string => mkdtempSync(path.join(tmpdir(), 'mas-report-'));
