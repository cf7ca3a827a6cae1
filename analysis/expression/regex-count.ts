import type { RE2JS } from 're2js';

/**
 * `count` in linear time over re2js's compiled program (the Python twin is trainer/mas_trainer/regex/count.py).
 * Searching again after each match, as re2js's `find` loop does, is quadratic when a thread of higher
 * priority runs far without matching: `count("1" * n, /\d+\.|\d/)` rescans to the end for each of its n
 * matches. One right-to-left pass first marks, for every position, the instructions that can still complete
 * a match from there; the left-to-right scans drop threads that cannot, so each scan stops where its match
 * ends. A dropped thread never matches, and can only keep another thread out of an instruction that is dead
 * there too, so the answers are re2js's own.
 */

/** The parts of a re2js instruction this walk reads (re2js's Inst; op numbers as in its Inst class). */
interface Inst {
    op: number;
    out: number;
    arg: number;
    matchRune(rune: number): boolean;
}
interface Prog {
    inst: Inst[];
    start: number;
}

const ALT = 1,
    ALT_MATCH = 2,
    CAPTURE = 3,
    EMPTY_WIDTH = 4,
    MATCH = 6,
    NOP = 7,
    RUNE_FIRST = 8,
    RUNE_LAST = 11;
const BEGIN_LINE = 1,
    END_LINE = 2,
    BEGIN_TEXT = 4,
    END_TEXT = 8,
    WORD_BOUNDARY = 16,
    NO_WORD_BOUNDARY = 32;

function isWordRune(rune: number): boolean {
    return (rune >= 48 && rune <= 57) || (rune >= 65 && rune <= 90) || (rune >= 97 && rune <= 122) || rune === 95;
}

/** RE2's empty-width flags between two runes (-1 beyond either end of the text). */
function emptyFlags(before: number, after: number): number {
    let flags = 0;
    if (before < 0) flags |= BEGIN_TEXT | BEGIN_LINE;
    if (before === 10) flags |= BEGIN_LINE;
    if (after < 0) flags |= END_TEXT | END_LINE;
    if (after === 10) flags |= END_LINE;
    return flags | (isWordRune(before) !== isWordRune(after) ? WORD_BOUNDARY : NO_WORD_BOUNDARY);
}

/** A set of instructions as bits (pc >> 5 is the word), so that n positions of a large program stay small in memory. */
type Bits = Uint32Array;

function has(bits: Bits, pc: number): boolean {
    return (bits[pc >>> 5]! & (1 << (pc & 31))) !== 0;
}

/** Instructions that can still complete a match from each position (`sets[ids[q]]`, equal sets shared). */
function liveSets(prog: Prog, runes: number[]): { ids: Int32Array; sets: Bits[] } {
    const size = prog.inst.length;
    const preds: number[][] = Array.from({ length: size }, () => []);
    prog.inst.forEach((inst, pc) => {
        if (inst.op === ALT || inst.op === ALT_MATCH) {
            preds[inst.out]!.push(pc);
            preds[inst.arg]!.push(pc);
        } else if (inst.op === NOP || inst.op === CAPTURE || inst.op === EMPTY_WIDTH) preds[inst.out]!.push(pc);
    });
    const matchPcs = prog.inst.flatMap((inst, pc) => (inst.op === MATCH ? [pc] : []));
    const sets: Bits[] = [];
    const bySignature = new Map<string, number>();
    const cache = new Map<string, number>();
    const intern = (set: Bits): number => {
        const signature = set.join(',');
        let id = bySignature.get(signature);
        if (id === undefined) {
            id = sets.length;
            sets.push(set);
            bySignature.set(signature, id);
        }
        return id;
    };
    const backwards = (targets: number[], flags: number): number => {
        const seen = new Uint32Array((size + 31) >>> 5);
        const todo = [...targets];
        for (const pc of targets) seen[pc >>> 5] |= 1 << (pc & 31);
        while (todo.length > 0) {
            for (const pc of preds[todo.pop()!]!) {
                const inst = prog.inst[pc]!;
                if (has(seen, pc) || (inst.op === EMPTY_WIDTH && (inst.arg & ~flags) !== 0)) continue;
                seen[pc >>> 5] |= 1 << (pc & 31);
                todo.push(pc);
            }
        }
        return intern(seen);
    };
    const n = runes.length;
    const ids = new Int32Array(n + 1);
    ids[n] = backwards(matchPcs, emptyFlags(n > 0 ? runes[n - 1]! : -1, -1));
    for (let q = n - 1; q >= 0; q--) {
        const rune = runes[q]!,
            before = q > 0 ? runes[q - 1]! : -1;
        const beforeKind = before < 0 ? 0 : before === 10 ? 1 : isWordRune(before) ? 2 : 3;
        const key = `${ids[q + 1]}:${rune}:${beforeKind}`;
        let id = cache.get(key);
        if (id === undefined) {
            const after = sets[ids[q + 1]!]!;
            const targets = [...matchPcs];
            prog.inst.forEach((inst, pc) => {
                if (inst.op >= RUNE_FIRST && inst.op <= RUNE_LAST && has(after, inst.out) && inst.matchRune(rune))
                    targets.push(pc);
            });
            id = backwards(targets, emptyFlags(before, rune));
            cache.set(key, id);
        }
        ids[q] = id;
    }
    return { ids, sets };
}

/** Where the leftmost-first match that starts at `start` ends, keeping only live threads. */
function matchEnd(prog: Prog, runes: number[], live: { ids: Int32Array; sets: Bits[] }, start: number): number {
    let end = start;
    let threads = [prog.start];
    for (let q = start; threads.length > 0; q++) {
        const alive = live.sets[live.ids[q]!]!;
        const flags = emptyFlags(q > 0 ? runes[q - 1]! : -1, q < runes.length ? runes[q]! : -1);
        const visited = new Set<number>();
        const reached: number[] = [];
        const stack = threads.filter((pc) => has(alive, pc)).reverse();
        while (stack.length > 0) {
            const pc = stack.pop()!;
            if (visited.has(pc)) continue;
            visited.add(pc);
            const inst = prog.inst[pc]!;
            if (inst.op === ALT || inst.op === ALT_MATCH) stack.push(inst.arg, inst.out);
            else if (inst.op === NOP || inst.op === CAPTURE || (inst.op === EMPTY_WIDTH && (inst.arg & ~flags) === 0))
                stack.push(inst.out);
            else if (inst.op === MATCH) {
                end = q;
                break;
            } // leftmost-first: lower-priority threads are cut
            else if (inst.op >= RUNE_FIRST && inst.op <= RUNE_LAST) reached.push(pc);
        }
        if (q >= runes.length) break;
        const rune = runes[q]!;
        threads = [...new Set(reached.filter((pc) => prog.inst[pc]!.matchRune(rune)).map((pc) => prog.inst[pc]!.out))];
    }
    return end;
}

/** Non-overlapping leftmost-first matches of `text` (already capped); after an empty match the scan moves on one code point. */
export function countLinear(regex: RE2JS, text: string): number {
    if (!regex.test(text)) return 0; // one scan settles the common case of no match at all
    const prog = (regex.re2() as unknown as { prog: Prog }).prog;
    const runes = Array.from(text, (ch) => ch.codePointAt(0)!);
    const live = liveSets(prog, runes);
    let count = 0;
    for (let pos = 0; pos <= runes.length;) {
        let start = pos;
        while (start <= runes.length && !has(live.sets[live.ids[start]!]!, prog.start)) start++;
        if (start > runes.length) break;
        const end = matchEnd(prog, runes, live, start);
        count++;
        pos = end === start ? end + 1 : end;
    }
    return count;
}
