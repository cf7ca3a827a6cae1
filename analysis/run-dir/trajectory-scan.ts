import { JsonBytes, JsonBytesError, MAX_JSON_DEPTH } from './json-bytes.js';
import { MAX_AGENTS_PER_RUN, MAX_CREDIT_METHODS, MAX_TURNS_PER_ROLLOUT } from './limits.js';
import { setOwn } from './own-key.js';

/** The fields of one trajectory line that the index keeps (RolloutEntry without its span). */
export interface IndexedFields {
    step: number;
    rollout: number;
    group: number;
    sample: number;
    parent: number | null;
    reward: number;
    success: boolean;
    agents: string[];
    decisionTurns: number[];
    credit: Record<string, number[]>;
}

export type ScanOutcome = { ok: true; fields: IndexedFields } | { ok: false; error: string };

const encoder = new TextEncoder();
/** Order matters: record() reads the first seven as scalars and switches on the index of the others. */
const TOP_KEYS = [
    'step',
    'rollout',
    'group',
    'sample',
    'parent',
    'reward',
    'success',
    'turns',
    'decision_turns',
    'credit',
    'task',
    'criteria',
] as const;
const TURN_KEYS = ['agent', 'prompt', 'output', 'token_ids', 'logprobs', 'frozen'] as const;
const TOP = TOP_KEYS.map((k) => encoder.encode(k));
const TURN = TURN_KEYS.map((k) => encoder.encode(k));

class InvalidRecord extends Error {}

/**
 * Reads the fields the index needs from one JSONL line of `trajectories/<step>.jsonl` without JSON.parse: every
 * byte is still checked against the JSON grammar and UTF-8 (a corrupt line is refused as JSON.parse would; the only
 * difference: more than MAX_JSON_DEPTH levels of nesting are refused), and the record gets the checks of
 * validateTrajectory (plus: decision_turns must hold integers; a credit method that is not an array of numbers is left
 * out, as it cannot be drawn; the limits.ts caps on agents, turns and credit methods), but only these fields become JS
 * values. Keeps a small cache of agent
 * names so 600 000 turns do not decode 600 000 strings. One instance per file (or per thread); not shared.
 */
export class TrajectoryLineScanner {
    private readonly decoder = new TextDecoder('utf-8');
    private readonly agentBytes: Uint8Array[] = [];
    private readonly agentNames: string[] = [];
    private readonly reader = new JsonBytes(new Uint8Array(0), 0, 0);
    private keyStart = 0;
    private keyEnd = 0;
    private keyEscaped = false;

    scan(buf: Uint8Array, start: number, end: number): ScanOutcome {
        const j = this.reader;
        j.reset(buf, start, end);
        try {
            const fields = this.record(j);
            if (j.peek() !== -1) j.fail('end of line');
            return { ok: true, fields };
        } catch (error) {
            if (error instanceof InvalidRecord) {
                // Thrown only once the whole value was read: trailing bytes still make the line "not valid JSON" first.
                try {
                    if (j.peek() !== -1) j.fail('end of line');
                } catch (syntax) {
                    return this.syntax(syntax);
                }
                return { ok: false, error: error.message };
            }
            return this.syntax(error);
        }
    }

    private syntax(error: unknown): ScanOutcome {
        if (error instanceof JsonBytesError) {
            if (error.kind === 'depth')
                return { ok: false, error: `line is ${error.message}; at most ${MAX_JSON_DEPTH} are read` };
            return {
                ok: false,
                error: error.kind === 'utf8' ? 'line is not valid UTF-8' : `line is not valid JSON (${error.message})`,
            };
        }
        throw error;
    }

    private record(j: JsonBytes): IndexedFields {
        if (j.peek() !== 0x7b) {
            j.skipValue();
            throw new InvalidRecord('record is not a JSON object');
        }
        // Plain locals, not an object keyed by name: this runs once per rollout and is hot.
        let step: unknown,
            rollout: unknown,
            group: unknown,
            sample: unknown,
            parent: unknown,
            reward: unknown,
            success: unknown;
        let agents: string[] | undefined,
            decisionTurns: number[] | undefined,
            credit: Record<string, number[]> | undefined;
        let decisionsKind = 0,
            creditKind = 0,
            taskKind = 0,
            criteriaKind = 0; // 0 absent, 1 array, 2 object, 3 other
        let problem: string | undefined;
        if (this.enter(j))
            do {
                this.key(j);
                const which = this.keyIndex(j.buf, TOP);
                if (which < 0) {
                    j.skipValue();
                    continue;
                }
                if (which <= 6) {
                    const value = j.readScalar();
                    if (which === 0) step = value;
                    else if (which === 1) rollout = value;
                    else if (which === 2) group = value;
                    else if (which === 3) sample = value;
                    else if (which === 4) parent = value;
                    else if (which === 5) reward = value;
                    else success = value;
                    continue;
                }
                const c = j.peek(),
                    kind = c === 0x5b ? 1 : c === 0x7b ? 2 : 3;
                if (which === 7) {
                    // turns
                    if (kind !== 1) {
                        j.skipValue();
                        agents = undefined;
                        continue;
                    }
                    const turns = this.turns(j);
                    if (typeof turns === 'string') problem ??= turns;
                    else agents = turns;
                } else if (which === 8) {
                    decisionsKind = kind;
                    if (kind === 1) decisionTurns = this.numbers(j, true);
                    else j.skipValue();
                } else if (which === 9) {
                    creditKind = kind;
                    if (kind !== 2) j.skipValue();
                    else {
                        const read = this.credit(j);
                        if (typeof read === 'string') problem ??= read;
                        else credit = read;
                    }
                } else {
                    if (which === 10) taskKind = kind;
                    else criteriaKind = kind;
                    j.skipValue();
                }
            } while (this.more(j));
        const ints = [step, rollout, group, sample];
        for (let k = 0; k < 4; k++)
            if (!Number.isSafeInteger(ints[k])) throw new InvalidRecord(`'${TOP_KEYS[k]}' is not an integer`);
        if (parent !== null && !Number.isSafeInteger(parent))
            throw new InvalidRecord(`'parent' is neither null nor an integer`);
        if (typeof reward !== 'number') throw new InvalidRecord(`'reward' is not a number`);
        if (!agents && problem === undefined) throw new InvalidRecord(`'turns' is not an array`);
        if (problem !== undefined) throw new InvalidRecord(problem);
        if (creditKind !== 2 || criteriaKind !== 2) throw new InvalidRecord(`'credit' or 'criteria' is not an object`);
        if (decisionsKind !== 1) throw new InvalidRecord(`'decision_turns' is not an array`);
        if (!decisionTurns) throw new InvalidRecord(`'decision_turns' holds something other than integers`);
        if (taskKind !== 2) throw new InvalidRecord(`'task' is not an object`);
        return {
            step: step as number,
            rollout: rollout as number,
            group: group as number,
            sample: sample as number,
            parent: parent as number | null,
            reward,
            success: success === true,
            agents: agents!,
            decisionTurns,
            credit: credit!,
        };
    }

    /** At '{': enters the object; false (and consumed) when it is empty. */
    private enter(j: JsonBytes): boolean {
        j.expect(0x7b, "'{'");
        if (j.peek() !== 0x7d) return true;
        j.pos++;
        return false;
    }

    /** Reads a member's key into keyStart/keyEnd/keyEscaped and stops at its value (no allocation per key). */
    private key(j: JsonBytes): void {
        if (j.peek() !== 0x22) j.fail('a key');
        this.keyStart = j.pos + 1;
        this.keyEscaped = j.skipString();
        this.keyEnd = j.pos - 1;
        j.expect(0x3a, "':'");
    }

    /** After a member's value: true when another member follows. */
    private more(j: JsonBytes): boolean {
        const c = j.peek();
        if (c === 0x7d) {
            j.pos++;
            return false;
        }
        if (c !== 0x2c) j.fail("',' or '}'");
        j.pos++;
        return true;
    }

    private keyIndex(buf: Uint8Array, table: Uint8Array[]): number {
        const start = this.keyStart,
            length = this.keyEnd - start;
        if (this.keyEscaped) {
            const text = this.decodeString(buf, start - 1, this.keyEnd + 1);
            return table.findIndex((bytes) => this.decoder.decode(bytes) === text);
        }
        outer: for (let i = 0; i < table.length; i++) {
            const bytes = table[i]!;
            if (bytes.length !== length) continue;
            for (let k = 0; k < length; k++) if (buf[start + k] !== bytes[k]) continue outer;
            return i;
        }
        return -1;
    }

    private decodeString(buf: Uint8Array, quoteStart: number, quoteEnd: number): string {
        return JSON.parse(this.decoder.decode(buf.subarray(quoteStart, quoteEnd))) as string;
    }

    /** The agent of every turn, or the validateTrajectory message for the first bad turn. */
    private turns(j: JsonBytes): string[] | string {
        const agents: string[] = [];
        let problem: string | undefined;
        j.expect(0x5b, "'['");
        if (j.peek() === 0x5d) {
            j.pos++;
            return agents;
        }
        for (let at = 0; ; at++) {
            if (j.peek() !== 0x7b) {
                j.skipValue();
                problem ??= `turns[${at}] is not an object`;
            } else {
                let agent: string | undefined,
                    prompt = false,
                    output = false,
                    tokenIds = false,
                    logprobs = false,
                    frozenOk = true;
                if (this.enter(j))
                    do {
                        this.key(j);
                        const which = this.keyIndex(j.buf, TURN);
                        const c = j.peek();
                        if (which === 0 && c === 0x22) agent = this.agent(j);
                        else {
                            if (which === 1) prompt = c === 0x22;
                            else if (which === 2) output = c === 0x22;
                            else if (which === 3) tokenIds = c === 0x5b;
                            else if (which === 4) logprobs = c === 0x5b;
                            else if (which === 5) frozenOk = c === 0x74 || c === 0x66; // true / false
                            j.skipValue();
                        }
                    } while (this.more(j));
                if (agent === undefined) problem ??= `turns[${at}].agent is not a string`;
                else if (!output) problem ??= `turns[${at}].output is not a string`;
                else if (!prompt) problem ??= `turns[${at}].prompt is not a string`;
                else if (!tokenIds || !logprobs) problem ??= `turns[${at}] lacks token_ids/logprobs arrays`;
                else if (!frozenOk) problem ??= `turns[${at}].frozen is not true or false`;
                agents.push(agent ?? '');
            }
            const c = j.peek();
            if (c === 0x5d) {
                j.pos++;
                break;
            }
            if (c !== 0x2c) j.fail("',' or ']'");
            j.pos++;
        }
        if (problem !== undefined) return problem;
        // Bounds checked once the line is read (a grammar error still wins), before any table is sized by them.
        const distinct = agents.length > MAX_AGENTS_PER_RUN ? new Set(agents).size : 0;
        if (distinct > MAX_AGENTS_PER_RUN)
            return `'turns' name ${distinct} distinct agents, more than the ${MAX_AGENTS_PER_RUN} a run may have (MAX_AGENTS_PER_RUN)`;
        if (agents.length > MAX_TURNS_PER_ROLLOUT)
            return `'turns' has ${agents.length} turns, more than the ${MAX_TURNS_PER_ROLLOUT} a rollout may have (MAX_TURNS_PER_ROLLOUT)`;
        return agents;
    }

    /** An agent name (at its string). */
    private agent(j: JsonBytes): string {
        const start = j.pos;
        const escaped = j.skipString();
        return escaped ? this.decodeString(j.buf, start, j.pos) : this.name(j.buf, start + 1, j.pos - 1);
    }

    /** A short unescaped string (agent, credit method), decoded once per distinct byte sequence. */
    private name(buf: Uint8Array, from: number, to: number): string {
        outer: for (let i = 0; i < this.agentBytes.length; i++) {
            const bytes = this.agentBytes[i]!;
            if (bytes.length !== to - from) continue;
            for (let k = 0; k < bytes.length; k++) if (buf[from + k] !== bytes[k]) continue outer;
            return this.agentNames[i]!;
        }
        const name = this.decoder.decode(buf.subarray(from, to));
        if (this.agentBytes.length < 256) {
            this.agentBytes.push(buf.slice(from, to));
            this.agentNames.push(name);
        }
        return name;
    }

    /** An array of numbers (at '['); undefined (after skipping it) if any element is not a number / integer. */
    private numbers(j: JsonBytes, integers: boolean): number[] | undefined {
        const out: number[] = [];
        let ok = true;
        j.expect(0x5b, "'['");
        if (j.peek() === 0x5d) {
            j.pos++;
            return out;
        }
        for (;;) {
            const value = j.readScalar();
            if (typeof value !== 'number' || (integers && !Number.isSafeInteger(value))) ok = false;
            else out.push(value);
            const c = j.peek();
            if (c === 0x5d) {
                j.pos++;
                return ok ? out : undefined;
            }
            if (c !== 0x2c) j.fail("',' or ']'");
            j.pos++;
        }
    }

    /** credit: method → numbers; a method whose value is not an array of numbers is left out, as it cannot be drawn. */
    private credit(j: JsonBytes): Record<string, number[]> | string {
        const credit: Record<string, number[]> = {};
        let methods = 0;
        if (this.enter(j))
            do {
                this.key(j);
                const name = this.keyEscaped
                    ? this.decodeString(j.buf, this.keyStart - 1, this.keyEnd + 1)
                    : this.name(j.buf, this.keyStart, this.keyEnd);
                const values = j.peek() === 0x5b ? this.numbers(j, false) : (j.skipValue(), undefined);
                // setOwn: `__proto__`, `constructor` or `toString` are methods like any other (read back with ownValue).
                if (values && !Object.hasOwn(credit, name)) methods++;
                if (values) setOwn(credit, name, values);
            } while (this.more(j));
        return methods > MAX_CREDIT_METHODS
            ? `'credit' has ${methods} methods, more than the ${MAX_CREDIT_METHODS} a rollout may have (MAX_CREDIT_METHODS)`
            : credit;
    }
}
