/**
 * How a run ended, in one sentence a notification can show, and where its cause is written (file + line),
 * from the exit code when this window spawned the trainer, run.json's status, and the trainer's output.
 */
import * as path from 'node:path';

/** trainer/README.md "Exit codes" (mas_trainer/errors.py). */
export const EXIT_ADVICE: Record<number, string> = {
    1: 'the trainer crashed (a Python traceback); report it with trainer.log',
    2: 'bad command-line arguments (an extension/trainer version mismatch?)',
    3: 'bad run spec: recompile the workflow; update MAS Studio and the trainer together',
    4: 'the dataset is missing, empty or has a bad row: fix the JSON Lines file',
    5: 'a model is unavailable: download it first or give a local path (the trainer never downloads)',
    6: 'device: cuda but no CUDA GPU is visible: use device: cpu/auto or install a CUDA build of torch',
    7: 'the run directory is unusable or already holds a run',
    8: 'resume refused: no checkpoint loads or run.json is malformed (the message names the field): start a new run',
    9: 'out of memory (GPU or machine): lower batch, group or max_tokens',
    10: 'the disk is full: free space, then continue with "MAS: Open Run…" → Resume',
    11: "an API model's endpoint failed after its retries (trainer.log names the model and URL): check that the server is up and the key variable is set, then start again",
    130: 'interrupted: continue with "MAS: Open Run…" → Resume',
};

export interface EndFacts {
    runDir: string;
    /** Exit code/signal when this window spawned the process; undefined after a re-attach. */
    exitCode?: number | null;
    signal?: string | null;
    /** run.json `status` / `error`, when run.json could be read. */
    runStatus?: 'running' | 'finished' | 'stopped' | 'failed';
    runError?: string | null;
    stopRequested: boolean;
    /** Step of the newest complete checkpoint (latest_checkpointed_iteration.txt); undefined when none exists yet. */
    checkpointStep?: number;
    /**
     * Text of process.log and trainer.log written by this launch ('' when missing): a resumed run appends to
     * both, and an earlier attempt's errors are not this launch's cause.
     */
    processLog: string;
    trainerLog: string;
    /** Line number (1-based) in the file of the first line of `processLog` / `trainerLog`; default 1. */
    processLogFirstLine?: number;
    trainerLogFirstLine?: number;
}

export interface RunOutcome {
    kind: 'finished' | 'stopped' | 'failed';
    message: string;
    /** Where the cause is written, for "Show Log". */
    cause?: { file: string; line: number };
}

interface Found {
    line: number;
    text: string;
}

/** The last line passing `test` at index >= `from`, with its line number in the file. */
function lastMatching(
    lines: readonly string[],
    test: (line: string) => boolean,
    firstLine: number,
    from = 0,
): (Found & { index: number }) | undefined {
    for (let i = lines.length - 1; i >= from; i--) {
        const line = lines[i]!;
        if (test(line)) return { index: i, line: i + firstLine, text: line.trim() };
    }
    return undefined;
}

const EXCEPTION_LINE = /^[A-Za-z_][\w.]*(Error|Exception|Interrupt|Exit|Warning)(: .*)?$/;

/** The cause in the logs: the trainer's `error: ...` line, a traceback's exception line, or an ERROR log line. */
export function findCause(
    facts: Pick<EndFacts, 'runDir' | 'processLog' | 'trainerLog' | 'processLogFirstLine' | 'trainerLogFirstLine'>,
): { file: string; line: number; text: string } | undefined {
    const processFile = path.join(facts.runDir, 'process.log');
    const lines = facts.processLog.split(/\r?\n/);
    const first = facts.processLogFirstLine ?? 1;
    const userError = lastMatching(lines, (l) => l.startsWith('error: '), first);
    if (userError) return { file: processFile, line: userError.line, text: userError.text.slice('error: '.length) };
    const traceback = lastMatching(lines, (l) => l.startsWith('Traceback (most recent call last):'), first);
    if (traceback) {
        const exception = lastMatching(lines, (l) => EXCEPTION_LINE.test(l), first, traceback.index);
        if (exception) return { file: processFile, line: exception.line, text: exception.text };
    }
    const logged = lastMatching(
        facts.trainerLog.split(/\r?\n/),
        (l) => / (ERROR|CRITICAL) /.test(l),
        facts.trainerLogFirstLine ?? 1,
    );
    if (logged) return { file: path.join(facts.runDir, 'trainer.log'), line: logged.line, text: logged.text };
    return undefined;
}

/**
 * How Open Run… describes a run directory without run.json: its trainer is still starting, or it failed before
 * writing anything, named by the cause in process.log (first-hour bug B6: a failed start — a missing dataset, no
 * CUDA, a model not cached — was listed as "no run.json yet").
 */
export function describeUnstartedRun(runDir: string, alive: boolean, processLog: string): string {
    if (alive) return 'starting';
    const cause = findCause({ runDir, processLog, trainerLog: '' });
    return cause ? `failed to start: ${clip(cause.text, 160)}` : 'no run.json yet (the trainer wrote nothing)';
}

function clip(text: string, max = 300): string {
    return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** What resuming a stopped run does: continue from the newest checkpoint, or (none saved yet) start over at step 0. */
function resumeHint(checkpointStep: number | undefined): string {
    return checkpointStep === undefined
        ? 'no checkpoint was saved yet, so resuming starts it over from step 0'
        : `it can be resumed from its last checkpoint (step ${checkpointStep})`;
}

export function describeOutcome(facts: EndFacts): RunOutcome {
    const name = path.basename(facts.runDir);
    const resume = resumeHint(facts.checkpointStep);
    if (facts.exitCode === 0 || (facts.exitCode === undefined && facts.runStatus === 'finished')) {
        return facts.runStatus === 'stopped'
            ? { kind: 'stopped', message: `MAS: run ${name} stopped early; ${resume}.` }
            : { kind: 'finished', message: `MAS: run ${name} finished.` };
    }
    if (facts.stopRequested) return { kind: 'stopped', message: `MAS: run ${name} was stopped; ${resume}.` };
    if (facts.exitCode === undefined && facts.runStatus === 'stopped') {
        return { kind: 'stopped', message: `MAS: run ${name} stopped early; ${resume}.` };
    }
    const cause = findCause(facts);
    const where = cause ? { file: cause.file, line: cause.line } : undefined;
    const advice = facts.exitCode !== undefined && facts.exitCode !== null ? EXIT_ADVICE[facts.exitCode] : undefined;
    let head: string;
    if (facts.exitCode !== undefined && facts.exitCode !== null) head = `exited with code ${facts.exitCode}`;
    else if (facts.signal) head = `was killed by ${facts.signal} (not by MAS Studio)`;
    else head = 'ended without finishing (killed from outside or crashed)';
    const detail = cause?.text ?? (facts.runError ? facts.runError : undefined);
    const parts = [`MAS: run ${name} ${head}`];
    if (detail) parts.push(clip(detail));
    if (advice) parts.push(advice);
    return { kind: 'failed', message: `${parts.join(': ')}.`, ...(where ? { cause: where } : {}) };
}
