// How a run ended (one sentence + where the cause is written) and the run directory the extension creates.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
    describeOutcome,
    describeUnstartedRun,
    EXIT_ADVICE,
    findCause,
} from '../../client/src/training/run-outcome.js';
import {
    createRunDir,
    launchBelongsTo,
    listRunDirs,
    readLaunchRecord,
    runDirName,
    writeLaunchRecord,
} from '../../client/src/training/run-dir.js';
import { readLatestCheckpoint, readRunStatus } from '../../client/src/training/run-files.js';
import { TRAINER_BOOTSTRAP, trainerRunArgs } from '../../client/src/training/trainer-args.js';
import { tempDir } from './helpers.js';

const base = { runDir: '/w/runs/lazy-1', stopRequested: false, processLog: '', trainerLog: '' };
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));

describe('describeOutcome', () => {
    it('finished, stopped by the user, stopped early', () => {
        expect(describeOutcome({ ...base, exitCode: 0, runStatus: 'finished' }).kind).toBe('finished');
        expect(
            describeOutcome({ ...base, exitCode: null, signal: 'SIGTERM', stopRequested: true, checkpointStep: 4 }),
        ).toEqual({
            kind: 'stopped',
            message: 'MAS: run lazy-1 was stopped; it can be resumed from its last checkpoint (step 4).',
        });
        expect(describeOutcome({ ...base, runStatus: 'stopped' }).kind).toBe('stopped');
    });

    it('a run stopped before its first checkpoint does not promise one', () => {
        const noCheckpoint = 'no checkpoint was saved yet, so resuming starts it over from step 0.';
        expect(describeOutcome({ ...base, exitCode: null, signal: 'SIGTERM', stopRequested: true }).message).toBe(
            `MAS: run lazy-1 was stopped; ${noCheckpoint}`,
        );
        expect(describeOutcome({ ...base, runStatus: 'stopped' }).message).toBe(
            `MAS: run lazy-1 stopped early; ${noCheckpoint}`,
        );
        expect(describeOutcome({ ...base, exitCode: 0, runStatus: 'stopped' }).message).toBe(
            `MAS: run lazy-1 stopped early; ${noCheckpoint}`,
        );
        expect(describeOutcome({ ...base, runStatus: 'stopped', checkpointStep: 0 }).message).toBe(
            'MAS: run lazy-1 stopped early; it can be resumed from its last checkpoint (step 0).',
        );
    });

    it("an exit code gets the documented advice and the trainer's own error line", () => {
        const processLog = 'INFO loading\nerror: model Qwen/Qwen2.5-0.5B-Instruct is not in the HF cache\n';
        const outcome = describeOutcome({ ...base, exitCode: 5, processLog });
        expect(outcome.message).toBe(
            'MAS: run lazy-1 exited with code 5: model Qwen/Qwen2.5-0.5B-Instruct is not in the HF cache: a model is unavailable: download it first or give a local path (the trainer never downloads).',
        );
        expect(outcome.cause).toEqual({ file: path.join(base.runDir, 'process.log'), line: 2 });
    });

    it("every exit code of trainer/README.md has advice (the table's TS twin)", () => {
        const readme = readFileSync(path.resolve(import.meta.dirname, '../../trainer/README.md'), 'utf8');
        const table = readme.split('## Exit codes')[1]!.split('\n## ')[0]!;
        const codes = [...table.matchAll(/^\| (\d+) \|/gm)].map((m) => Number(m[1])).filter((code) => code !== 0);
        expect(codes).toContain(10);
        expect(codes.filter((code) => !(code in EXIT_ADVICE))).toEqual([]);
    });

    it('a signal from outside, or a dead re-attached trainer, is said as such', () => {
        expect(describeOutcome({ ...base, exitCode: null, signal: 'SIGKILL' }).message).toContain(
            'killed by SIGKILL (not by MAS Studio)',
        );
        expect(describeOutcome({ ...base, runStatus: 'running' }).message).toContain('ended without finishing');
    });

    it('finds the cause: traceback exception line, else an ERROR line of trainer.log', () => {
        const processLog =
            'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\n    raise ValueError("bad")\nValueError: bad\n';
        expect(findCause({ runDir: '/r', processLog, trainerLog: '' })).toEqual({
            file: '/r/process.log',
            line: 4,
            text: 'ValueError: bad',
        });
        const trainerLog = '2026-11-30 00:00:00,000 INFO step 1\n2026-11-30 00:00:01,000 ERROR rollout failed\n';
        expect(findCause({ runDir: '/r', processLog: 'nothing useful', trainerLog })).toMatchObject({
            file: '/r/trainer.log',
            line: 2,
        });
        expect(findCause({ runDir: '/r', processLog: '', trainerLog: '' })).toBeUndefined();
        // The text starts at line 41 of the file (an earlier attempt wrote lines 1-40): line numbers are the file's.
        expect(
            findCause({
                runDir: '/r',
                processLog: 'INFO step 1\nerror: bad row\n',
                processLogFirstLine: 41,
                trainerLog: '',
            }),
        ).toEqual({ file: '/r/process.log', line: 42, text: 'bad row' });
    });
});

describe('run directory', () => {
    it('names are sortable and file-system safe; an existing run is never reused', () => {
        const when = new Date(2026, 10, 30, 0, 15, 2);
        expect(runDirName('lazy-team', when)).toBe('lazy-team-20261130-001502');
        expect(runDirName('../../etc', when)).toBe('_.._etc-20261130-001502');
        const tmp = tempDir();
        cleanups.push(tmp.cleanup);
        const first = createRunDir(path.join(tmp.dir, 'runs'), 'w', when);
        writeFileSync(path.join(first, 'metrics.jsonl'), 'keep me\n');
        const second = createRunDir(path.join(tmp.dir, 'runs'), 'w', when);
        expect(second).toBe(`${first}-2`);
        expect(readFileSync(path.join(first, 'metrics.jsonl'), 'utf8')).toBe('keep me\n');
        expect(
            listRunDirs(
                path.join(tmp.dir, 'runs'),
                () => ['w-20261130-001502', 'w-20261130-001502-2', 'notes.txt'],
                (d) => !d.endsWith('.txt'),
            ),
        ).toEqual([second, first]);
    });

    it('launch.json is validated before its pid is used, and must belong to this run directory', () => {
        const tmp = tempDir();
        cleanups.push(tmp.cleanup);
        const runDir = path.join(tmp.dir, 'r');
        mkdirSync(runDir);
        const args = trainerRunArgs({ specFile: path.join(runDir, 'spec.json'), runDir, trainerRoot: '/ext/trainer' });
        const record = {
            version: 1 as const,
            pid: 1234,
            python: 'python3',
            args,
            start_ticks: 99,
            launched_at: 1,
            log_offsets: { process: 0, trainer: 0 },
            stop_requested_at: null,
        };
        writeLaunchRecord(runDir, record);
        expect(readLaunchRecord(runDir)).toEqual(record);
        expect(launchBelongsTo(record, runDir)).toBe(true);
        expect(launchBelongsTo(record, path.join(tmp.dir, 'other'))).toBe(false);
        expect(launchBelongsTo({ ...record, args: ['-c', 'import os', `--run-dir=${runDir}`] }, runDir)).toBe(false);
        expect(
            launchBelongsTo({ ...record, args: args.map((a) => (a === TRAINER_BOOTSTRAP ? 'import os' : a)) }, runDir),
        ).toBe(false);
        // A trainer launched by an earlier version (`-m mas_trainer run …`) is still recognised.
        expect(launchBelongsTo({ ...record, args: ['-m', 'mas_trainer', 'run', `--run-dir=${runDir}`] }, runDir)).toBe(
            true,
        );
        writeFileSync(path.join(runDir, 'launch.json'), JSON.stringify({ ...record, pid: '1234; rm -rf ~' }));
        expect(readLaunchRecord(runDir)).toBeUndefined();
        writeFileSync(path.join(runDir, 'launch.json'), '{ torn');
        expect(readLaunchRecord(runDir)).toBeUndefined();
    });

    it('latest_checkpointed_iteration.txt gives the checkpoint step; absent or garbled means none', () => {
        const tmp = tempDir();
        cleanups.push(tmp.cleanup);
        const file = path.join(tmp.dir, 'latest_checkpointed_iteration.txt');
        expect(readLatestCheckpoint(tmp.dir)).toBeUndefined();
        writeFileSync(file, '12\n');
        expect(readLatestCheckpoint(tmp.dir)).toBe(12);
        for (const garbled of ['', '-1\n', '3.5\n', 'global_step_3\n', '1e3']) {
            writeFileSync(file, garbled);
            expect(readLatestCheckpoint(tmp.dir)).toBeUndefined();
        }
    });

    it('run.json is read only when the fields used have their declared types', () => {
        const tmp = tempDir();
        cleanups.push(tmp.cleanup);
        const good = { version: 1, status: 'running', error: null, workflow: 'W', steps_total: 10, steps_completed: 2 };
        writeFileSync(path.join(tmp.dir, 'run.json'), JSON.stringify(good));
        expect(readRunStatus(tmp.dir)).toMatchObject({ workflow: 'W', steps_total: 10 });
        writeFileSync(path.join(tmp.dir, 'run.json'), JSON.stringify({ ...good, workflow: { toString: 1 } }));
        expect(readRunStatus(tmp.dir)).toBeUndefined();
        writeFileSync(path.join(tmp.dir, 'run.json'), JSON.stringify({ ...good, steps_total: '1e9' }));
        expect(readRunStatus(tmp.dir)).toBeUndefined();
    });

    it('run.json nested 5 000 deep or a FIFO reads as absent, never blocks the extension host', () => {
        const tmp = tempDir();
        cleanups.push(tmp.cleanup);
        const file = path.join(tmp.dir, 'run.json');
        writeFileSync(
            file,
            `{"version":1,"status":"running","error":${'['.repeat(5000)}${']'.repeat(5000)},"workflow":"W","steps_total":10,"steps_completed":2}`,
        );
        expect(readRunStatus(tmp.dir)).toBeUndefined();
        if (process.platform !== 'linux') return;
        rmSync(file);
        execFileSync('mkfifo', [file]);
        expect(readRunStatus(tmp.dir)).toBeUndefined();
    });

    it('argument arrays: absolute paths with `=`, so a leading "-" is never an option; resume flag', () => {
        const args = trainerRunArgs({
            specFile: '/w/-x/spec.json',
            runDir: '/w/-x',
            trainerRoot: '/ext/trainer',
            resume: true,
        });
        expect(args).toEqual([
            '-I',
            '-u',
            '-X',
            'utf8',
            '-c',
            TRAINER_BOOTSTRAP,
            '/ext/trainer',
            'run',
            '--spec=/w/-x/spec.json',
            '--run-dir=/w/-x',
            '--resume',
        ]);
    });
});

describe('Open Run… on a run without run.json (first-hour bug B6)', () => {
    it('names the cause of a failed start from process.log, says "starting" while the trainer lives', () => {
        const log =
            'launch: python -I …\nerror: dataset /w/data/missing.jsonl not found; fix the dataset path in team.mas\n';
        expect(describeUnstartedRun('/w/runs/a', false, log)).toBe(
            'failed to start: dataset /w/data/missing.jsonl not found; fix the dataset path in team.mas',
        );
        expect(describeUnstartedRun('/w/runs/a', true, log)).toBe('starting');
        expect(describeUnstartedRun('/w/runs/a', false, '')).toBe('no run.json yet (the trainer wrote nothing)');
        const crash =
            'Traceback (most recent call last):\n  File "x.py", line 1, in <module>\nRuntimeError: CUDA error\n';
        expect(describeUnstartedRun('/w/runs/a', false, crash)).toBe('failed to start: RuntimeError: CUDA error');
    });
});
