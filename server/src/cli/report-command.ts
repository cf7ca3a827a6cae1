import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { buildReportData, formatMb, ReportTooLargeError } from '../../../analysis/run-dir/report-data.js';
import { reportSource } from '../../../analysis/run-dir/report-source.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { parseArgs, UsageError } from './args.js';
import { EXIT, writeOutputFile, type CliIo } from './io.js';
import { loadReportAssets } from '../../../analysis/run-dir/report/assets.js';
import { reportHtml } from '../../../analysis/run-dir/report/report-html.js';

/** Default cap on the embedded data: a file that still opens quickly in a browser and fits in an e-mail link share. */
export const DEFAULT_MAX_MB = 50;

const oneLine = (text: string): string => text.replace(/\s*[\r\n]+\s*/g, ' ').trim();

/** `a-b`, `a-` (from a), `-b` (up to b) or `a` (one step); steps are integers ≥ 0. */
export function parseStepRange(text: string): { from: number; to: number } {
    const match = /^(\d*)(-?)(\d*)$/.exec(text.trim());
    const bad = () =>
        new UsageError(
            `--steps "${text}" is not a step range; write it as a-b (e.g. --steps 10-20), a- or a single step.`,
        );
    if (!match || (match[1] === '' && match[3] === '') || (match[2] === '' && match[3] !== '')) throw bad();
    const from = match[1] === '' ? 0 : Number(match[1]);
    const to = match[2] === '' ? from : match[3] === '' ? Number.MAX_SAFE_INTEGER : Number(match[3]);
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) throw bad();
    if (from > to)
        throw new UsageError(`--steps ${text}: the first step is after the last; write the smaller one first.`);
    return { from, to };
}

function parseMaxMb(text: string): number {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
        throw new UsageError(
            `--max-mb "${text}" is not a size; give megabytes as a positive number, e.g. --max-mb 200.`,
        );
    return value;
}

/**
 * `mas report <run-dir> [-o report.html] [--steps a-b] [--max-mb N] [--tokens] [--source file.mas]`: one
 * self-contained HTML file — a title block, the run's curves, its `.mas` source, then the trajectory view — for
 * sharing without VS Code (works from file://, no server, strict CSP). Token ids and log-probabilities, most of a
 * run's bytes, are left out unless `--tokens`.
 */
export async function reportCommand(argv: readonly string[], io: CliIo): Promise<number> {
    const { positionals, flags } = parseArgs('report', argv, {
        flags: {
            '--output': 'value',
            '--steps': 'value',
            '--max-mb': 'value',
            '--tokens': 'switch',
            '--source': 'value',
        },
        aliases: { '-o': '--output' },
    });
    if (positionals.length !== 1) {
        throw new UsageError(
            `"mas report" takes exactly one run directory (got ${positionals.length}), for example: mas report runs/my-run -o my-run.html`,
        );
    }
    const root = resolve(io.cwd, positionals[0]!);
    const steps = typeof flags.get('--steps') === 'string' ? parseStepRange(flags.get('--steps') as string) : undefined;
    const maxMb =
        typeof flags.get('--max-mb') === 'string' ? parseMaxMb(flags.get('--max-mb') as string) : DEFAULT_MAX_MB;
    const output =
        typeof flags.get('--output') === 'string' ? (flags.get('--output') as string) : `${basename(root)}.report.html`;

    const info = await stat(root).catch(() => undefined);
    if (!info?.isDirectory()) {
        io.stderr(
            `mas report: ${positionals[0]} is not a run directory; give a folder written by the trainer (runs/<name>/).\n`,
        );
        return EXIT.usage;
    }
    let assets;
    try {
        assets = await loadReportAssets(io.webviewDir);
    } catch (error) {
        io.stderr(`mas report: ${oneLine((error as Error).message)}\n`);
        return EXIT.usage;
    }
    const reader = new RunDirService();
    let html: string;
    try {
        const index = await reader.index(root);
        if (steps && !index.steps.some((s) => s.step >= steps.from && s.step <= steps.to)) {
            const have = index.steps.length ? `${index.steps[0]!.step}-${index.steps.at(-1)!.step}` : 'none yet';
            io.stderr(
                `mas report: ${positionals[0]} has no step in ${flags.get('--steps')} (its steps: ${have}); choose a range it has.\n`,
            );
            return EXIT.usage;
        }
        const given = flags.get('--source');
        const recorded = index.run.spec?.source;
        const source = await reportSource(
            recorded && { ...recorded, file: resolve(io.cwd, recorded.file) },
            typeof given === 'string' ? resolve(io.cwd, given) : undefined,
        );
        const { data, json } = await buildReportData(reader, index, {
            maxBytes: maxMb * 1_000_000,
            tokens: flags.get('--tokens') === true,
            source,
            ...(steps ? { steps } : {}),
        });
        html = reportHtml(assets, json);
        if (data.run.issues.length > 0)
            io.stderr(
                `mas report: ${data.run.issues.length} line(s) or file(s) skipped (listed in the report), e.g. ${oneLine(data.run.issues[0]!)}\n`,
            );
        if (data.steps.length === 0)
            io.stderr('mas report: the run has no recorded trajectories yet; the report shows only its header.\n');
    } catch (error) {
        if (error instanceof ReportTooLargeError) {
            const fits =
                error.lastStepThatFits === undefined
                    ? 'not even the first step fits'
                    : `steps up to ${error.lastStepThatFits} fit`;
            io.stderr(
                `mas report: ${error.message}; ${fits}. Choose fewer steps with --steps a-b, or raise the cap with --max-mb.\n`,
            );
            return EXIT.errors;
        }
        io.stderr(`mas report: ${oneLine(error instanceof Error ? error.message : String(error))}\n`);
        return EXIT.errors;
    } finally {
        await reader.dispose();
    }
    if (!(await writeOutputFile(io, 'report', output, html))) return EXIT.usage;
    io.stderr(`mas report: wrote ${output} (${formatMb(Buffer.byteLength(html, 'utf8'))} MB)\n`);
    return EXIT.ok;
}
