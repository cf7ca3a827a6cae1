/**
 * The trainer's `rescore` as a child process (issue 16 item 6): the RunSpec on its stdin, its JSON Lines read and
 * checked as they come (rescore-stream.ts), progress reported per line, its stderr passed on line by line, and a
 * cancel that sends SIGTERM (the trainer then kills its verifier workers and exits 130). The caller builds the
 * arguments and checks workspace trust: the extension (client/src/training/trainer-rescore.ts) and `mas rescore`.
 */
import { spawn } from 'node:child_process';
import type { RescoreProgressLine } from '../../protocol/rescore-stream.js';
import type { RunSpec } from '../../protocol/run-spec.js';
import { RescoreStreamReader, type TrainerScores } from './rescore-stream.js';

export type RescoreOutcome =
    | { ok: true; scores: TrainerScores; stderr: string }
    | { ok: false; cancelled: boolean; exitCode: number | null; message: string; stderr: string };

export interface RescoreProcessOptions {
    /** The interpreter, and its arguments that run `mas_trainer rescore --spec=- ...` (trainer-invocation). */
    python: string;
    args: readonly string[];
    env: NodeJS.ProcessEnv;
    /** Written to the process's stdin (`--spec=-`). */
    spec: RunSpec;
    signal?: AbortSignal;
    onProgress?: (progress: RescoreProgressLine) => void;
    /** Each line the trainer writes on stderr (warnings: skipped lines, failing verifier calls with their input). */
    onStderrLine?: (line: string) => void;
}

const KEPT_STDERR_CHARS = 1 << 16;

/** The trainer's last `error:` line, else its last line, else the exit code. */
function failureMessage(stderr: string, code: number | null): string {
    const lines = stderr.trim().split(/\r?\n/);
    const error = [...lines].reverse().find((line) => line.startsWith('error: '));
    return (error ?? (lines.at(-1) || `the trainer's rescore exited with code ${String(code)}`)).replace(
        /^error: /,
        '',
    );
}

/** Runs the re-score; resolves with the scores or why there are none (never rejects). */
export function runRescoreProcess(options: RescoreProcessOptions): Promise<RescoreOutcome> {
    return new Promise((resolve) => {
        const child = spawn(options.python, [...options.args], {
            env: options.env,
            windowsHide: true,
            stdio: ['pipe', 'pipe', 'pipe'],
        });
        let stderr = '';
        let pendingErr = '';
        let badOutput: Error | undefined;
        let settled = false;
        const reader = new RescoreStreamReader((line) => {
            if (line.type === 'progress') options.onProgress?.(line);
        });
        const cancel = () => child.kill('SIGTERM');
        options.signal?.addEventListener('abort', cancel, { once: true });
        const finish = (outcome: RescoreOutcome) => {
            if (settled) return;
            settled = true;
            options.signal?.removeEventListener('abort', cancel);
            resolve(outcome);
        };
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            if (badOutput) return;
            try {
                reader.feed(chunk);
            } catch (error) {
                badOutput = error instanceof Error ? error : new Error(String(error));
                child.kill('SIGTERM'); // nothing more it says can be trusted
            }
        });
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
            stderr = (stderr + chunk).slice(-KEPT_STDERR_CHARS);
            const lines = (pendingErr + chunk).split(/\r?\n/);
            pendingErr = lines.pop() ?? '';
            for (const line of lines) if (line) options.onStderrLine?.(line);
        });
        child.stdin.on('error', () => undefined); // a trainer that exits before reading the spec: its exit says why
        child.stdin.end(JSON.stringify(options.spec));
        child.on('error', (error) =>
            finish({
                ok: false,
                cancelled: false,
                exitCode: null,
                message: `cannot run ${options.python}: ${error.message}`,
                stderr,
            }),
        );
        child.on('close', (code) => {
            if (pendingErr) options.onStderrLine?.(pendingErr);
            const cancelled = options.signal?.aborted ?? false;
            if (badOutput) return finish({ ok: false, cancelled, exitCode: code, message: badOutput.message, stderr });
            if (cancelled)
                return finish({ ok: false, cancelled, exitCode: code, message: 'Re-scoring was cancelled.', stderr });
            if (code !== 0)
                return finish({ ok: false, cancelled, exitCode: code, message: failureMessage(stderr, code), stderr });
            try {
                finish({ ok: true, scores: reader.finish(), stderr });
            } catch (error) {
                finish({
                    ok: false,
                    cancelled,
                    exitCode: code,
                    message: error instanceof Error ? error.message : String(error),
                    stderr,
                });
            }
        });
    });
}
