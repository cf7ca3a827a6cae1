/**
 * Reads the trainer's `rescore` output (protocol/rescore-stream.ts) as untrusted input: every line is size- and
 * depth-bounded, parsed and checked field by field; the first bad line stops the reading with an error that names
 * the line and what is wrong, so that no half-understood score ever reaches the view. Pure: no Node built-ins.
 */
import {
    RESCORE_STREAM_VERSION,
    type RescoreDoneLine,
    type RescoreLine,
    type RescoreRolloutLine,
} from '../../protocol/rescore-stream.js';
import { parseBoundedJson } from './json-bounded.js';
import { MAX_TURNS_PER_ROLLOUT } from './limits.js';

/** One line of the stream; a longer one is refused (a rollout line holds scores, not transcripts). */
export const MAX_RESCORE_LINE_CHARS = 1 << 20;
/** Criteria / verifiers per line: far above any rubric. */
const MAX_KEYS = 4096;

export class RescoreStreamError extends Error {
    constructor(line: number, problem: string) {
        super(`the trainer's re-score output line ${line} ${problem}; nothing from this re-score was used`);
        this.name = 'RescoreStreamError';
    }
}

const isInt = (v: unknown, min = 0): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
const isScore = (v: unknown): v is number | null => v === null || (typeof v === 'number' && Number.isFinite(v));

function isObject(v: unknown): v is Record<string, unknown> {
    return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isMap(v: unknown, value: (x: unknown) => boolean): v is Record<string, unknown> {
    return isObject(v) && Object.keys(v).length <= MAX_KEYS && Object.values(v).every(value);
}

/** What is wrong with a parsed line, or undefined when it is a well-formed RescoreLine. */
function problemOf(v: unknown): string | undefined {
    if (!isObject(v)) return 'is not a JSON object';
    switch (v['type']) {
        case 'start':
            if (v['version'] !== RESCORE_STREAM_VERSION)
                return `has version ${JSON.stringify(v['version'])}, and this editor reads version ${RESCORE_STREAM_VERSION}: use the trainer shipped with this extension`;
            if (!Array.isArray(v['runs']) || !v['runs'].every((r) => typeof r === 'string'))
                return 'has no `runs` list';
            return isInt(v['rollouts']) ? undefined : 'has no whole `rollouts` count';
        case 'progress':
            return isInt(v['done']) && isInt(v['total']) && v['done'] <= v['total']
                ? undefined
                : 'has no whole `done` <= `total`';
        case 'rollout':
            if (!isInt(v['run']) || !isInt(v['step'], 1) || !isInt(v['rollout']))
                return 'has no whole `run`, `step` >= 1 and `rollout`';
            if (!isScore(v['reward'])) return 'has a `reward` that is not a finite number or null';
            if (!isMap(v['criteria'], isScore)) return 'has `criteria` that are not criterion -> score';
            if (!isMap(v['errors'], (x) => typeof x === 'string')) return 'has `errors` that are not criterion -> kind';
            if (
                !Array.isArray(v['decision_rewards']) ||
                v['decision_rewards'].length > MAX_TURNS_PER_ROLLOUT ||
                !v['decision_rewards'].every(isScore)
            )
                return 'has `decision_rewards` that are not a list of scores';
            return undefined;
        case 'done':
            if (!isInt(v['rollouts']) || !isInt(v['skipped_lines'])) return 'has no whole `rollouts` / `skipped_lines`';
            return isMap(v['verifier_errors'], (x) => isInt(x))
                ? undefined
                : 'has `verifier_errors` that are not counts';
        default:
            return `has an unknown type ${JSON.stringify(v['type'])}`;
    }
}

const encoder = new TextEncoder();

/** One line of the stream, checked; `number` (1-based) is only for the error. */
export function parseRescoreLine(text: string, number: number): RescoreLine {
    if (text.length > MAX_RESCORE_LINE_CHARS)
        throw new RescoreStreamError(number, `is longer than ${MAX_RESCORE_LINE_CHARS} characters`);
    let value: unknown;
    try {
        value = parseBoundedJson(encoder.encode(text));
    } catch (error) {
        throw new RescoreStreamError(number, `is ${error instanceof Error ? error.message : String(error)}`);
    }
    const problem = problemOf(value);
    if (problem) throw new RescoreStreamError(number, problem);
    return value as RescoreLine;
}

/** The scores a finished stream gave, as the trajectory view's re-score takes them (plain data: it goes to the
 *  run reader's worker). */
export interface TrainerScores {
    rollouts: Omit<RescoreRolloutLine, 'type'>[];
    verifierErrors: RescoreDoneLine['verifier_errors'];
    skippedLines: number;
}

/**
 * Feeds stdout chunks as they come; `onLine` sees each checked line (progress). `finish` checks that the stream
 * was complete (a start first, a done last, as many rollouts as announced) and returns the scores.
 */
export class RescoreStreamReader {
    private pending = '';
    private count = 0;
    private started = false;
    private done: RescoreDoneLine | undefined;
    private readonly rollouts: Omit<RescoreRolloutLine, 'type'>[] = [];

    constructor(private readonly onLine?: (line: RescoreLine) => void) {}

    feed(chunk: string): void {
        this.pending += chunk;
        let end: number;
        while ((end = this.pending.indexOf('\n')) >= 0) {
            const text = this.pending.slice(0, end).replace(/\r$/, '');
            this.pending = this.pending.slice(end + 1);
            if (text.trim()) this.accept(parseRescoreLine(text, ++this.count));
        }
        if (this.pending.length > MAX_RESCORE_LINE_CHARS)
            throw new RescoreStreamError(this.count + 1, `is longer than ${MAX_RESCORE_LINE_CHARS} characters`);
    }

    finish(): TrainerScores {
        if (this.pending.trim()) throw new RescoreStreamError(this.count + 1, 'was cut off (no newline at its end)');
        if (!this.done) throw new RescoreStreamError(this.count + 1, 'is missing: the output ended before `done`');
        return {
            rollouts: this.rollouts,
            verifierErrors: this.done.verifier_errors,
            skippedLines: this.done.skipped_lines,
        };
    }

    private accept(line: RescoreLine): void {
        const n = this.count;
        if (this.done) throw new RescoreStreamError(n, 'comes after `done`');
        if (!this.started && line.type !== 'start') throw new RescoreStreamError(n, 'comes before `start`');
        if (this.started && line.type === 'start') throw new RescoreStreamError(n, 'is a second `start`');
        this.started = true;
        if (line.type === 'rollout') {
            const { type: _type, ...score } = line;
            this.rollouts.push(score);
        }
        if (line.type === 'done') {
            if (line.rollouts !== this.rollouts.length)
                throw new RescoreStreamError(
                    n,
                    `says ${line.rollouts} rollouts, but ${this.rollouts.length} were scored`,
                );
            this.done = line;
        }
        this.onLine?.(line);
    }
}
