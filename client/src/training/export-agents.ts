/**
 * "MAS: Export Trained Agents…" without the UI: the complete checkpoints of a run, and `python -m mas_trainer export`
 * run as training runs the trainer (the same interpreter, isolated with -I: trainer-args.ts), with a cancel that
 * lets the trainer remove its half-written folder (SIGINT), and its JSON result read from the last line of stdout.
 */
import { spawn } from 'node:child_process';
import { lstatSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINT_FILES, RUN_DIR_FILES } from '../../../protocol/run-dir.js';
import { trainerExportArgs } from './trainer-args.js';
import { assertTrusted, type TrustSource } from './trust.js';

const CHECKPOINT_FOLDER = /^global_step_([0-9]{1,15})$/;

/** Steps of the run's complete checkpoints (a real folder holding COMPLETE.json as a regular file), newest first. */
export function completeCheckpoints(runDir: string): number[] {
    const root = path.join(runDir, RUN_DIR_FILES.checkpointsDir);
    let names: string[];
    try {
        if (!lstatSync(root).isDirectory()) return [];
        names = readdirSync(root);
    } catch {
        return [];
    }
    const steps: number[] = [];
    for (const name of names) {
        const match = CHECKPOINT_FOLDER.exec(name);
        if (!match) continue;
        try {
            const folder = path.join(root, name);
            if (lstatSync(folder).isDirectory() && lstatSync(path.join(folder, CHECKPOINT_FILES.marker)).isFile())
                steps.push(Number(match[1]));
        } catch {
            continue; // an incomplete checkpoint (no marker yet): not offered
        }
    }
    return steps.sort((a, b) => b - a);
}

/** What export prints last (trainer/mas_trainer/__main__.py: _export). */
export interface ExportResult {
    step: number;
    out: string;
    agents: { agent: string; kind: 'adapter' | 'model'; folder: string }[];
}

export type ExportOutcome =
    { ok: true; result: ExportResult } | { ok: false; cancelled: boolean; exitCode: number | null; message: string };

export interface RunExportOptions {
    python: string;
    trainerRoot: string;
    env: NodeJS.ProcessEnv;
    trust: TrustSource;
    runDir: string;
    out: string;
    step?: number;
    force?: boolean;
    signal?: AbortSignal;
}

function parseResult(stdout: string): ExportResult | undefined {
    const last = stdout.trim().split(/\r?\n/).pop() ?? '';
    try {
        const value = JSON.parse(last) as Partial<ExportResult>;
        if (typeof value.step === 'number' && typeof value.out === 'string' && Array.isArray(value.agents))
            return value as ExportResult;
    } catch {
        return undefined;
    }
    return undefined;
}

/** Runs the export; resolves with the trainer's result or why it failed (its last `error:` line). */
export function runExport(options: RunExportOptions): Promise<ExportOutcome> {
    assertTrusted(options.trust, 'Exporting trained agents');
    const args = trainerExportArgs(options);
    return new Promise((resolve) => {
        const child = spawn(options.python, args, {
            env: options.env,
            windowsHide: true,
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout = (stdout + chunk).slice(-(1 << 20))));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-(1 << 20))));
        const cancel = () => child.kill('SIGINT'); // the trainer removes its temp folder on KeyboardInterrupt
        options.signal?.addEventListener('abort', cancel, { once: true });
        child.on('error', (error) => {
            options.signal?.removeEventListener('abort', cancel);
            resolve({
                ok: false,
                cancelled: false,
                exitCode: null,
                message: `cannot run ${options.python}: ${error.message}`,
            });
        });
        child.on('close', (code) => {
            options.signal?.removeEventListener('abort', cancel);
            const result = code === 0 ? parseResult(stdout) : undefined;
            if (result) return resolve({ ok: true, result });
            const lines = stderr.trim().split(/\r?\n/);
            const error = [...lines].reverse().find((line) => line.startsWith('error: '));
            const message = (error ?? lines.pop() ?? `the export exited with code ${String(code)}`).replace(
                /^error: /,
                '',
            );
            resolve({ ok: false, cancelled: options.signal?.aborted ?? false, exitCode: code, message });
        });
    });
}
