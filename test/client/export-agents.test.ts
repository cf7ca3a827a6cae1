// "MAS: Export Trained Agents…" at the process boundary (issue 13 item 6): the complete checkpoints offered, and the
// real trainer's `export` run as training runs it (trainer/.venv, isolated -I), its result, refusal and cancel.
import { existsSync, mkdirSync, readdirSync, rmdirSync, symlinkSync, unlinkSync } from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeCheckpoints, runExport } from '../../client/src/training/export-agents.js';
import { trainerEnv, trainerExportArgs } from '../../client/src/training/trainer-args.js';
import { tempDir, trusted, untrusted } from './helpers.js';
import { trainerRoot, trainLazyRun, venvPython } from './trained-run.js';

describe.skipIf(!existsSync(venvPython))('exporting the agents of a run with the real trainer', () => {
    const tmp = tempDir('mas-export-');
    const runDir = path.join(tmp.dir, 'runs', 'lazy');
    const options = (out: string) => ({
        python: venvPython,
        trainerRoot,
        env: trainerEnv(process.env),
        trust: trusted,
        runDir,
        out,
    });

    beforeAll(() => trainLazyRun(tmp.dir, runDir, 2), 120_000);
    afterAll(() => tmp.cleanup());

    it('offers only complete checkpoints, newest first, and never a linked folder', async () => {
        const checkpoints = path.join(runDir, 'checkpoints');
        mkdirSync(path.join(checkpoints, 'global_step_9')); // being written: no COMPLETE.json yet
        symlinkSync(path.join(checkpoints, 'global_step_2'), path.join(checkpoints, 'global_step_7'));
        expect(completeCheckpoints(runDir)).toEqual([2]);
        expect(completeCheckpoints(path.join(tmp.dir, 'nowhere'))).toEqual([]);
        // the trainer refuses a run directory with a link where it reads (exit 7), and the message says so
        const refused = await runExport(options(path.join(tmp.dir, 'linked-out')));
        expect(refused).toMatchObject({ ok: false, cancelled: false, exitCode: 7 });
        expect(!refused.ok && refused.message).toContain('is a symbolic link');
        unlinkSync(path.join(checkpoints, 'global_step_7'));
        rmdirSync(path.join(checkpoints, 'global_step_9'));
    }, 60_000);

    it('passes the run directory after `--`, so a name starting with `-` stays a path', () => {
        const args = trainerExportArgs({ runDir: '-x', out: 'o', trainerRoot, step: 2 });
        expect(args.slice(-2)).toEqual(['--', path.resolve('-x')]);
        expect(args).toContain('--step=2');
    });

    it('writes one folder per agent and reports them; a second export into the same folder is refused', async () => {
        const out = path.join(tmp.dir, 'out');
        const outcome = await runExport({ ...options(out), step: 2 });
        expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
        if (!outcome.ok) return;
        expect(outcome.result.step).toBe(2);
        expect(outcome.result.agents.map((a) => [a.agent, a.kind])).toEqual([
            ['first', 'model'],
            ['idle', 'model'],
            ['second', 'model'],
        ]);
        expect(readdirSync(path.join(out, 'idle')).sort()).toEqual(
            ['README.md', 'config.json', 'model.safetensors', 'tokenizer.json', 'tokenizer_config.json'].sort(),
        );
        const again = await runExport(options(out));
        expect(again).toMatchObject({ ok: false, cancelled: false, exitCode: 2 });
        expect(!again.ok && again.message).toContain('is not empty');
    }, 60_000);

    it('is refused in an untrusted workspace before anything runs', () => {
        expect(() => runExport({ ...options(path.join(tmp.dir, 'never')), trust: untrusted })).toThrow(/untrusted/);
        expect(existsSync(path.join(tmp.dir, 'never'))).toBe(false);
    });

    it('cancels: the process ends and leaves no half-written folder', async () => {
        const out = path.join(tmp.dir, 'cancelled');
        const abort = new AbortController();
        const pending = runExport({ ...options(out), signal: abort.signal });
        abort.abort();
        const outcome = await pending;
        expect(outcome).toMatchObject({ ok: false, cancelled: true });
        expect(existsSync(out) ? readdirSync(out).filter((n) => n.startsWith('.tmp-')) : []).toEqual([]);
    }, 60_000);
});
