import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Prng } from './prng.js';

/**
 * Hostile run-directory mutants for the run reader (issue 14): each takes a scratch copy of the fixture run and
 * damages it one way. Sizes are bounded (the largest line is a few MB) so a mutant answers in seconds or hangs.
 * `warns`: the reader must list at least one issue (or refuse run.json with an error); false where the mutant is
 * valid data that must simply be read (a credit method named `constructor`).
 */
export interface RunDirMutant {
    kind: MutantKind;
    /** What was done, for the failure message and the replay. */
    what: string;
    warns: boolean;
}

export const MUTANT_KINDS = ['symlink', 'fifo', 'depth', 'nan', 'proto-key', 'huge-line'] as const;
export type MutantKind = (typeof MUTANT_KINDS)[number];

const STEPS = [1, 2, 3];
const PROTO_NAMES = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

const stepPath = (root: string, step: number): string => path.join(root, 'trajectories', `${step}.jsonl`);
const linesOf = (file: string): string[] => readFileSync(file, 'utf8').split('\n').filter(Boolean);
const writeLines = (file: string, lines: readonly string[]): void => writeFileSync(file, lines.join('\n') + '\n');
const nested = (prng: Prng, depth: number): string => {
    const object = prng.int(2) === 0;
    return object ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
};

/** A target file of the run: run.json, metrics.jsonl or a step file (relative path). */
function pickFile(prng: Prng): string {
    const roll = prng.int(4);
    return roll === 0 ? 'run.json' : roll === 1 ? 'metrics.jsonl' : `trajectories/${prng.pick(STEPS)}.jsonl`;
}

/** Replaces one line of a JSONL file (or the whole of run.json) with `edit` of it. */
function editLine(root: string, relative: string, prng: Prng, edit: (line: string) => string): void {
    const file = path.join(root, relative);
    if (relative === 'run.json') {
        writeFileSync(file, edit(JSON.stringify(JSON.parse(readFileSync(file, 'utf8')))));
        return;
    }
    const lines = linesOf(file);
    const at = prng.int(lines.length);
    lines[at] = edit(lines[at]!);
    writeLines(file, lines);
}

function symlinkMutant(root: string, prng: Prng): RunDirMutant {
    const outside = path.join(path.dirname(root), 'outside');
    mkdirSync(outside, { recursive: true });
    const target = prng.int(5) === 0 ? 'trajectories' : pickFile(prng);
    const at = path.join(root, target);
    const variant = prng.int(4);
    if (variant === 0) {
        // a link out of the run directory to a copy of the same data
        renameSync(at, path.join(outside, path.basename(target)));
        rmSync(at, { recursive: true, force: true });
        symlinkSync(path.join(outside, path.basename(target)), at);
        return { kind: 'symlink', what: `${target} → outside the run directory`, warns: true };
    }
    rmSync(at, { recursive: true, force: true });
    if (variant === 1) {
        symlinkSync(path.join(root, 'nowhere', 'missing'), at);
        return { kind: 'symlink', what: `${target} → a dangling link`, warns: true };
    }
    if (variant === 2) {
        symlinkSync(at, at);
        return { kind: 'symlink', what: `${target} → itself (a loop)`, warns: true };
    }
    const fifo = path.join(root, `pipe-${prng.int(1000)}`);
    execFileSync('mkfifo', [fifo]);
    symlinkSync(fifo, at);
    return { kind: 'symlink', what: `${target} → a FIFO inside the run directory`, warns: true };
}

function fifoMutant(root: string, prng: Prng): RunDirMutant {
    const target = prng.int(5) === 0 ? 'trajectories' : pickFile(prng);
    rmSync(path.join(root, target), { recursive: true, force: true });
    execFileSync('mkfifo', [path.join(root, target)]);
    return { kind: 'fifo', what: `${target} is a FIFO`, warns: true };
}

function depthMutant(root: string, prng: Prng): RunDirMutant {
    const target = pickFile(prng);
    const depth = 1001 + prng.int(prng.int(2) === 0 ? 100 : 50_000);
    const bomb = nested(prng, depth);
    // Into a field the reader skips (task / criteria / a metrics dict), or as a new member: both must be refused.
    editLine(root, target, prng, (line) => line.replace(/^\{/, `{"deep":${bomb},`));
    return { kind: 'depth', what: `${target}: a member nested ${depth} deep`, warns: true };
}

function nanMutant(root: string, prng: Prng): RunDirMutant {
    const target = pickFile(prng);
    const token = prng.pick(['NaN', 'Infinity', '-Infinity', '-NaN', 'nan', 'inf']);
    const field =
        target === 'run.json'
            ? 'started_at'
            : target === 'metrics.jsonl'
              ? 'reward_mean'
              : prng.pick(['reward', 'started_at', 'duration_ms']);
    editLine(root, target, prng, (line) => {
        const out = line.replace(new RegExp(`"${field}":\\s*-?[0-9.eE+-]+`), `"${field}":${token}`);
        return out !== line ? out : line.replace(/^\{/, `{"n":${token},`);
    });
    return { kind: 'nan', what: `${target}: "${field}":${token}`, warns: true };
}

function protoKeyMutant(root: string, prng: Prng): RunDirMutant {
    const name = prng.pick(PROTO_NAMES);
    const variant = prng.int(4);
    const from =
        variant === 0 ? '"outcome":' : variant === 1 ? '"first_part":' : variant === 2 ? '"first":' : '"step":';
    const where =
        variant === 0
            ? 'credit method'
            : variant === 1
              ? 'criterion'
              : variant === 2
                ? 'task field'
                : 'top-level key "step"';
    const every = prng.int(2) === 0;
    for (const step of STEPS) {
        const lines = linesOf(stepPath(root, step));
        writeLines(
            stepPath(root, step),
            lines.map((line, i) => (every || i % 3 === 0 ? line.split(from).join(`"${name}":`) : line)),
        );
    }
    // Renaming `step` leaves records without one: those lines must be listed; the other renames are valid data.
    return {
        kind: 'proto-key',
        what: `${where} renamed ${name} in ${every ? 'every' : 'every third'} line`,
        warns: variant === 3,
    };
}

function hugeLineMutant(root: string, prng: Prng): RunDirMutant {
    const step = prng.pick(STEPS);
    const lines = linesOf(stepPath(root, step));
    const base = JSON.parse(lines[0]!) as { turns: Record<string, unknown>[]; [key: string]: unknown };
    const turn = { ...base.turns[0]!, prompt: '', output: '', token_ids: [], logprobs: [] };
    const variant = prng.int(5);
    let line: string, what: string;
    if (variant === 0 || variant === 1) {
        const count = variant === 0 ? 257 + prng.int(20_000) : 4097 + prng.int(20_000);
        const agents = Array.from({ length: count }, (_, i) => (variant === 0 ? `agent-${i}` : 'first'));
        line = JSON.stringify({
            ...base,
            rollout: 500,
            turns: agents.map((agent, index) => ({ ...turn, index, agent })),
            decision_turns: agents.map((_, i) => i),
            credit: { outcome: agents.map(() => 1) },
        });
        what = variant === 0 ? `${count} distinct agents in one line` : `${count} turns in one line`;
    } else if (variant === 2) {
        const count = 65 + prng.int(5000);
        const credit = Object.fromEntries(Array.from({ length: count }, (_, i) => [`method-${i}`, [0, 0, 0]]));
        line = JSON.stringify({ ...base, rollout: 500, credit });
        what = `${count} credit methods in one line`;
    } else if (variant === 3) {
        // Within each cap alone, too many grid cells together: 200 agents × 400+ turns × 64 methods.
        const turns = 400 + prng.int(3000);
        const agents = Array.from({ length: turns }, (_, i) => `w${i % 200}`);
        const values = agents.map(() => 1);
        const credit = Object.fromEntries(Array.from({ length: 64 }, (_, m) => [`m${m}`, values]));
        line = JSON.stringify({
            ...base,
            rollout: 500,
            turns: agents.map((agent, index) => ({ ...turn, index, agent })),
            decision_turns: agents.map((_, i) => i),
            credit,
        });
        what = `200 agents × ${turns} turns × 64 methods in one line`;
    } else {
        const bytes = 1_000_000 + prng.int(4_000_000);
        line = `{"step":${step},"rollout":500,"output":"${'x'.repeat(bytes)}`; // never closed: corrupt, and long
        what = `a ${bytes}-byte corrupt line`;
    }
    lines.splice(prng.int(lines.length + 1), 0, line);
    writeLines(stepPath(root, step), lines);
    return { kind: 'huge-line', what: `trajectories/${step}.jsonl: ${what}`, warns: true };
}

const MAKERS: Record<MutantKind, (root: string, prng: Prng) => RunDirMutant> = {
    symlink: symlinkMutant,
    fifo: fifoMutant,
    depth: depthMutant,
    nan: nanMutant,
    'proto-key': protoKeyMutant,
    'huge-line': hugeLineMutant,
};

/** Applies mutant `kind` (drawn from `prng`) to the run at `root`. */
export function applyMutant(kind: MutantKind, root: string, prng: Prng): RunDirMutant {
    return MAKERS[kind](root, prng);
}
