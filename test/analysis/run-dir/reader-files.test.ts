import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BoundedJsonError, MAX_JSON_DEPTH, parseBoundedJson } from '../../../analysis/run-dir/json-bounded.js';
import { JsonlLines } from '../../../analysis/run-dir/jsonl-lines.js';
import { buildRunIndex, formatIssue } from '../../../analysis/run-dir/run-index.js';
import { readRunJson } from '../../../analysis/run-dir/run-json.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { validateMetrics } from '../../../analysis/run-dir/validate.js';
import { nested, readStepLines, scratchRuns, stepFile, writeStepLines } from './hostile-run.js';

const scratch = scratchRuns();
const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const runJsonOf = (root: string): Record<string, unknown> =>
    JSON.parse(readFileSync(path.join(root, 'run.json'), 'utf8')) as Record<string, unknown>;
const writeRunJson = (root: string, value: unknown): void =>
    writeFileSync(path.join(root, 'run.json'), typeof value === 'string' ? value : JSON.stringify(value));

describe('nesting depth on every JSON read (F7)', () => {
    it('parseBoundedJson reads MAX_JSON_DEPTH levels and refuses one more, before JSON.parse', () => {
        expect(parseBoundedJson(bytes(nested(MAX_JSON_DEPTH)))).toBeInstanceOf(Array);
        expect(() => parseBoundedJson(bytes(nested(MAX_JSON_DEPTH + 1)))).toThrow(BoundedJsonError);
        expect(() => parseBoundedJson(bytes(nested(5000)))).toThrow(`nested deeper than ${MAX_JSON_DEPTH} levels`);
        expect(() => parseBoundedJson(bytes('{"a": NaN}'))).toThrow(/not valid JSON/);
    });

    it('a metrics line nested 5 000 deep is skipped with file:line; the other records and the steps are read', async () => {
        const root = scratch();
        appendFileSync(path.join(root, 'metrics.jsonl'), `{"step":4,"reward_mean":0,"criteria":${nested(5000)}}\n`);
        const index = await buildRunIndex(root);
        expect(index.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
        expect(index.steps).toHaveLength(3);
        expect(index.issues.map(formatIssue)).toEqual([
            expect.stringMatching(
                /^metrics\.jsonl:4: line is nested deeper than 1000 levels \(column \d+\); at most 1000 are read; skipped$/,
            ),
        ]);
    });

    it('the live metrics reader (the dashboard follower) reports the same line and goes on', () => {
        const lines = new JsonlLines('metrics.jsonl', { validate: validateMetrics });
        const batch = lines.push(bytes(`{"step":1,"reward_mean":0,"x":${nested(5000)}}\n{"step":2,"reward_mean":1}\n`));
        expect(batch.records.map((r) => r.step)).toEqual([2]);
        expect(batch.issues).toEqual([
            { file: 'metrics.jsonl', line: 1, message: expect.stringContaining('nested deeper than 1000 levels') },
        ]);
    });

    it('a trajectory line nested 5 000 deep is skipped with file:line', async () => {
        const root = scratch();
        const lines = readStepLines(root, 2);
        lines[3] = lines[3]!.replace('"task":{', `"task":{"deep":${nested(5000)},`);
        writeStepLines(root, 2, lines);
        const index = await buildRunIndex(root);
        expect(index.steps[1]!.rollouts).toHaveLength(11);
        expect(index.issues.map(formatIssue)).toEqual([
            expect.stringMatching(/^trajectories\/2\.jsonl:4: line is nested deeper than 1000 levels/),
        ]);
    });

    it('a rollout re-read after its line was rewritten nested too deep (same length): a clear error, no overflow', async () => {
        const root = scratch();
        const lines = readStepLines(root, 1);
        lines[2] = lines[2]!.replace('"task":{', `"task":{"pad":"${'x'.repeat(3000)}",`); // room for 1 000+ brackets
        writeStepLines(root, 1, lines);
        const reader = new RunDirService();
        await reader.index(root);
        const depth = Math.floor((lines[2]!.length - 2) / 2);
        lines[2] = `[${nested(depth)}]`.padEnd(lines[2]!.length, ' ');
        writeStepLines(root, 1, lines);
        await expect(reader.rollout(root, 1, 2)).rejects.toThrow(
            /trajectories\/1\.jsonl:3: the record changed since the run was indexed \(nested deeper than 1000 levels/,
        );
    });

    it('run.json with a field nested 5 000 deep gives a clear error', async () => {
        const root = scratch();
        writeRunJson(root, JSON.stringify(runJsonOf(root)).replace('"error":null', `"error":${nested(5000)}`));
        await expect(readRunJson(root)).rejects.toThrow(/run\.json: nested deeper than 1000 levels .*changed by hand/);
    });

    it('a saved index nested too deep is ignored and rebuilt', async () => {
        const root = scratch();
        const cacheDir = path.join(tmpdir(), `mas-depth-cache-${process.pid}-${Date.now()}`);
        try {
            const first = await new RunDirService({ cacheDir }).index(root);
            const [runCache] = (await import('node:fs')).readdirSync(cacheDir);
            writeFileSync(path.join(cacheDir, runCache!, '1.json'), nested(5000));
            expect((await new RunDirService({ cacheDir }).index(root)).steps).toEqual(first.steps);
        } finally {
            rmSync(cacheDir, { recursive: true, force: true });
        }
    });
});

describe('non-regular files are refused by type, never waited on (F10)', () => {
    const fifo = (file: string): void => {
        rmSync(file, { force: true });
        execFileSync('mkfifo', [file]);
    };
    const linux = process.platform === 'linux';

    it.runIf(linux)('a FIFO named run.json: a clear error at once', async () => {
        const root = scratch();
        fifo(path.join(root, 'run.json'));
        await expect(readRunJson(root)).rejects.toThrow(/run\.json is a FIFO \(named pipe\), not a regular file/);
    });

    it.runIf(linux)('a FIFO named metrics.jsonl: reported, the trajectories still read', async () => {
        const root = scratch();
        fifo(path.join(root, 'metrics.jsonl'));
        const index = await buildRunIndex(root);
        expect(index.metrics).toEqual([]);
        expect(index.steps.map((s) => s.rollouts.length)).toEqual([12, 12, 12]);
        expect(index.issues.map(formatIssue)).toEqual([
            expect.stringMatching(
                /^metrics\.jsonl: could not be read \(.*is a FIFO \(named pipe\), not a regular file/,
            ),
        ]);
    });

    it.runIf(linux)('a FIFO or a directory named <step>.jsonl: that step is reported, the others read', async () => {
        const root = scratch();
        fifo(stepFile(root, 2));
        rmSync(stepFile(root, 3));
        mkdirSync(stepFile(root, 3));
        const index = await buildRunIndex(root);
        expect(index.steps.map((s) => s.step)).toEqual([1]);
        expect(index.issues.map(formatIssue)).toEqual([
            expect.stringMatching(
                /^trajectories\/2\.jsonl: could not be read \(.*is a FIFO \(named pipe\), not a regular file/,
            ),
            expect.stringMatching(/^trajectories\/3\.jsonl: could not be read \(.*is a directory, not a regular file/),
        ]);
    });
});

describe('links out of the run directory are reported, the rest is read', () => {
    it('metrics.jsonl and trajectories/ linked outside: each listed, run.json still read', async () => {
        const root = scratch();
        const outside = path.join(path.dirname(root), 'outside');
        mkdirSync(outside);
        writeFileSync(path.join(outside, 'metrics.jsonl'), '{"step":1,"reward_mean":0}\n');
        rmSync(path.join(root, 'metrics.jsonl'));
        symlinkSync(path.join(outside, 'metrics.jsonl'), path.join(root, 'metrics.jsonl'));
        renameSync(path.join(root, 'trajectories'), path.join(outside, 'trajectories'));
        symlinkSync(path.join(outside, 'trajectories'), path.join(root, 'trajectories'));
        const index = await buildRunIndex(root);
        expect(index.metrics).toEqual([]);
        expect(index.steps).toEqual([]);
        expect(index.issues.map(formatIssue)).toEqual([
            expect.stringMatching(
                /^metrics\.jsonl: could not be read \('metrics\.jsonl' is a link to .*outside the run directory/,
            ),
            expect.stringMatching(/^trajectories: 'trajectories' is a link to .*outside the run directory/),
        ]);
    });
});

describe('links inside the run directory to what is not read', () => {
    it.runIf(process.platform === 'linux')(
        'run.json linked to a FIFO: the error names run.json and the FIFO',
        async () => {
            const root = scratch();
            execFileSync('mkfifo', [path.join(root, 'pipe')]);
            rmSync(path.join(root, 'run.json'));
            symlinkSync(path.join(root, 'pipe'), path.join(root, 'run.json'));
            await expect(readRunJson(root)).rejects.toThrow(
                /run\.json: .*pipe is a FIFO \(named pipe\), not a regular file/,
            );
        },
    );

    it('trajectories as a dangling link is listed, not taken for "no steps yet"', async () => {
        const root = scratch();
        rmSync(path.join(root, 'trajectories'), { recursive: true });
        symlinkSync(path.join(root, 'gone'), path.join(root, 'trajectories'));
        const index = await buildRunIndex(root);
        expect(index.issues.map(formatIssue)).toEqual([
            'trajectories: is a link to nothing (a dangling link); skipped',
        ]);
    });
});

describe('run.json checked against its schema (F11)', () => {
    const cases: [string, (run: Record<string, unknown>) => unknown, RegExp][] = [
        [
            'a number of steps as a string',
            (run) => ({ ...run, steps_total: '1e9' }),
            /field 'steps_total' must be integer/,
        ],
        [
            'an agent name as a number',
            (run) => {
                const spec = run['spec'] as { agents: Record<string, unknown>[] };
                return { ...run, spec: { ...spec, agents: [{ ...spec.agents[0], name: 5 }, ...spec.agents.slice(1)] } };
            },
            /field 'spec\.agents\[0\]\.name' must be string/,
        ],
        [
            'no status',
            (run) => {
                const { status: _status, ...rest } = run;
                return rest;
            },
            /field 'status' is missing/,
        ],
        [
            'an unknown status',
            (run) => ({ ...run, status: 'exploded' }),
            /field 'status' must be one of "running", "finished", "stopped", "failed"/,
        ],
        ['spec as null', (run) => ({ ...run, spec: null }), /field 'spec' must be object/],
        ['the whole file an array', () => [1], /version undefined is not supported/],
    ];
    for (const [what, damage, message] of cases) {
        it(`${what}: an Error naming the field, not a TypeError`, async () => {
            const root = scratch();
            writeRunJson(root, damage(runJsonOf(root)));
            const error = await readRunJson(root).catch((e: unknown) => e);
            expect(error).toBeInstanceOf(Error);
            expect(error).not.toBeInstanceOf(TypeError);
            expect((error as Error).message).toMatch(message);
            await expect(buildRunIndex(root)).rejects.toThrow(message);
        });
    }
});
