import { appendFileSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveInRunDir } from '../../../analysis/run-dir/paths.js';
import { buildRunIndex, formatIssue } from '../../../analysis/run-dir/run-index.js';
import { scanJsonl } from '../../../analysis/run-dir/scan.js';
import { RunDirService } from '../../../analysis/run-dir/service.js';
import { validateTrajectory } from '../../../analysis/run-dir/validate.js';
import { copyFixtureRun, FIXTURE_RUN } from './fixture-run.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
    for (const c of cleanups.splice(0)) c();
});
function scratch(): string {
    const run = copyFixtureRun();
    cleanups.push(run.dispose);
    return run.root;
}
const stepLines = (root: string, step: number) =>
    readFileSync(path.join(root, 'trajectories', `${step}.jsonl`), 'utf8')
        .split('\n')
        .filter(Boolean);

describe('run directory index', () => {
    it('indexes every step, rollout and metrics record of a trainer-written run', async () => {
        const index = await buildRunIndex(FIXTURE_RUN);
        expect(index.run.workflow).toBe('LazyTeam');
        expect(index.metrics.map((m) => m.step)).toEqual([1, 2, 3]);
        expect(index.steps.map((s) => s.step)).toEqual([1, 2, 3]);
        expect(index.steps.map((s) => s.rollouts.length)).toEqual([12, 12, 12]);
        expect(new Set(index.steps[0]!.rollouts.map((r) => r.group))).toEqual(new Set([0, 1, 2]));
        expect(index.steps[0]!.rollouts[0]!.agents).toEqual(['first', 'second', 'lazy']);
        expect(Object.keys(index.steps[0]!.rollouts[0]!.credit).sort()).toEqual([
            'agent_normalized',
            'outcome',
            'turn_level',
        ]);
        expect(index.issues).toEqual([]);
    });

    it('jumps to any rollout by byte offset and reads exactly that record', async () => {
        const service = new RunDirService();
        const lines = stepLines(FIXTURE_RUN, 2);
        for (const rollout of [11, 0, 7]) {
            const record = await service.rollout(FIXTURE_RUN, 2, rollout);
            expect(record).toEqual(JSON.parse(lines[rollout]!));
        }
        const group = await service.group(FIXTURE_RUN, 3, 1);
        expect(group.map((r) => [r.group, r.sample])).toEqual([
            [1, 0],
            [1, 1],
            [1, 2],
            [1, 3],
        ]);
        await expect(service.rollout(FIXTURE_RUN, 2, 99)).rejects.toThrow(/no rollout 99/);
    });

    it('drops a torn last line silently', async () => {
        const root = scratch();
        const torn = stepLines(root, 3)[0]!.slice(0, 57);
        appendFileSync(path.join(root, 'trajectories', '3.jsonl'), torn);
        const index = await buildRunIndex(root);
        expect(index.steps[2]!.rollouts).toHaveLength(12);
        expect(index.steps[2]!.tornBytes).toBe(57);
        expect(index.issues).toEqual([]);
    });

    it('reports a corrupt middle line with file:line and keeps reading past it', async () => {
        const root = scratch();
        const lines = stepLines(root, 1);
        lines.splice(2, 0, '{"step":1,"rollout": oops');
        writeFileSync(path.join(root, 'trajectories', '1.jsonl'), lines.join('\n') + '\n');
        const index = await buildRunIndex(root);
        expect(index.issues.map(formatIssue)).toEqual([
            expect.stringMatching(/^trajectories\/1\.jsonl:3: line is not valid JSON/),
        ]);
        expect(index.steps[0]!.rollouts.map((r) => r.rollout)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        expect(index.steps[0]!.rollouts[5]!.line).toBe(7);
        const record = await new RunDirService().rollout(root, 1, 11);
        expect(record.rollout).toBe(11);
    });

    it('reports a record missing required fields and keeps the others', async () => {
        const root = scratch();
        const lines = stepLines(root, 2);
        const broken = JSON.parse(lines[4]!) as Record<string, unknown>;
        delete broken['turns'];
        lines[4] = JSON.stringify(broken);
        writeFileSync(path.join(root, 'trajectories', '2.jsonl'), lines.join('\n') + '\n');
        const index = await buildRunIndex(root);
        expect(index.issues.map(formatIssue)).toEqual(["trajectories/2.jsonl:5: 'turns' is not an array; skipped"]);
        expect(index.steps[1]!.rollouts).toHaveLength(11);
    });

    it('never throws on a step file truncated at any byte and keeps every complete record', async () => {
        const root = scratch();
        const file = path.join(root, 'trajectories', '1.jsonl');
        const bytes = readFileSync(file);
        const ends: number[] = [];
        for (let i = bytes.indexOf(0x0a); i !== -1; i = bytes.indexOf(0x0a, i + 1)) ends.push(i + 1);
        // Every offset of the first two records, then a stride over the rest (the whole file: ~14 kB).
        for (let cut = 0; cut <= bytes.length; cut += cut <= ends[1]! ? 1 : 61) {
            writeFileSync(file, bytes.subarray(0, cut));
            const records: number[] = [];
            const scan = await scanJsonl(
                file,
                'trajectories/1.jsonl',
                (r: { rollout: number }) => records.push(r.rollout),
                validateTrajectory,
            );
            // A record cut just before its newline is whole: the reader keeps it (writers may omit the last newline).
            const complete = ends.filter((end) => end - 1 <= cut).length;
            expect(records).toEqual([...Array(complete).keys()]);
            expect(scan.issues).toEqual([]);
        }
    });

    it('refreshes incrementally: unchanged step files are reused, new ones indexed', async () => {
        const root = scratch();
        const service = new RunDirService();
        const first = await service.index(root);
        writeFileSync(
            path.join(root, 'trajectories', '4.jsonl'),
            stepLines(root, 3)
                .map((l) => l.replace('"step":3', '"step":4'))
                .join('\n') + '\n',
        );
        const second = await service.index(root);
        expect(second.steps.map((s) => s.step)).toEqual([1, 2, 3, 4]);
        expect(second.steps[0]).toBe(first.steps[0]);
        expect((await service.rollout(root, 4, 3)).step).toBe(4);
    });

    it('refuses paths that leave the run directory', async () => {
        const root = scratch();
        await expect(resolveInRunDir(root, '../run.json')).rejects.toThrow(/contains '\.\.'/);
        await expect(resolveInRunDir(root, '/etc/passwd')).rejects.toThrow(/absolute path/);
        mkdirSync(path.join(root, 'links'));
        symlinkSync('/etc', path.join(root, 'links', 'out'));
        await expect(resolveInRunDir(root, 'links/out/passwd')).rejects.toThrow(/outside the run directory/);
        symlinkSync(path.join(root, 'trajectories'), path.join(root, 'links', 'in'));
        await expect(resolveInRunDir(root, 'links/in/1.jsonl')).resolves.toMatch(/trajectories\/1\.jsonl$/);
    });

    it('says what to do when run.json is missing or of another version', async () => {
        const root = scratch();
        const runJson = JSON.parse(readFileSync(path.join(root, 'run.json'), 'utf8')) as Record<string, unknown>;
        writeFileSync(path.join(root, 'run.json'), JSON.stringify({ ...runJson, version: 99 }));
        await expect(buildRunIndex(root)).rejects.toThrow(/version 99 is not supported/);
        await expect(buildRunIndex(path.join(root, 'trajectories'))).rejects.toThrow(/no run\.json here/);
    });
});
