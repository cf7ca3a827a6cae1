import { JsonBytes, JsonBytesError } from './json-bytes.js';

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
const TOP_KEYS = ['step', 'rollout', 'group', 'sample', 'parent', 'reward', 'success', 'turns', 'decision_turns', 'credit', 'task', 'criteria'] as const;
const TURN_KEYS = ['agent', 'prompt', 'output', 'token_ids', 'logprobs'] as const;
const TOP = TOP_KEYS.map(k => encoder.encode(k));
const TURN = TURN_KEYS.map(k => encoder.encode(k));

class InvalidRecord extends Error {}

/**
 * Reads the fields the index needs from one JSONL line of `trajectories/<step>.jsonl` without JSON.parse: every
 * byte is still checked against the JSON grammar (a corrupt line is refused exactly like JSON.parse would), and the
 * record gets the checks of validateTrajectory, but only these fields become JS values. Keeps a small cache of agent
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
                try { if (j.peek() !== -1) j.fail('end of line'); } catch (syntax) { return this.syntax(syntax); }
                return { ok: false, error: error.message };
            }
            return this.syntax(error);
        }
    }

    private syntax(error: unknown): ScanOutcome {
        if (error instanceof JsonBytesError) return { ok: false, error: error.kind === 'utf8' ? 'line is not valid UTF-8' : `line is not valid JSON (${error.message})` };
        throw error;
    }

    private record(j: JsonBytes): IndexedFields {
        if (j.peek() !== 0x7b) { j.skipValue(); throw new InvalidRecord('record is not a JSON object'); }
        const got: Partial<Record<(typeof TOP_KEYS)[number], unknown>> = {};
        let agents: string[] | undefined, decisionTurns: number[] | undefined, credit: Record<string, number[]> | undefined;
        let problem: string | undefined;
        if (this.enter(j)) do {
            this.key(j);
            const name = TOP_KEYS[this.keyIndex(j.buf, TOP)];
            if (name === 'turns') {
                if (j.peek() !== 0x5b) { j.skipValue(); agents = undefined; continue; }
                const turns = this.turns(j);
                if (typeof turns === 'string') problem ??= turns; else agents = turns;
            } else if (name === 'decision_turns' || name === 'credit' || name === 'task' || name === 'criteria') {
                const c = j.peek();
                got[name] = c === 0x5b ? 'array' : c === 0x7b ? 'object' : 'other';
                if (name === 'decision_turns' && c === 0x5b) decisionTurns = this.numbers(j, true);
                else if (name === 'credit' && c === 0x7b) credit = this.credit(j);
                else j.skipValue();
            } else if (name !== undefined) got[name] = j.readScalar();
            else j.skipValue();
        } while (this.more(j));
        const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
        for (const key of ['step', 'rollout', 'group', 'sample'] as const) if (!isInt(got[key])) throw new InvalidRecord(`'${key}' is not an integer`);
        if (got.parent !== null && !isInt(got.parent)) throw new InvalidRecord(`'parent' is neither null nor an integer`);
        if (typeof got.reward !== 'number') throw new InvalidRecord(`'reward' is not a number`);
        if (!agents && problem === undefined) throw new InvalidRecord(`'turns' is not an array`);
        if (problem !== undefined) throw new InvalidRecord(problem);
        if (got.credit !== 'object' || got.criteria !== 'object') throw new InvalidRecord(`'credit' or 'criteria' is not an object`);
        if (got.decision_turns !== 'array') throw new InvalidRecord(`'decision_turns' is not an array`);
        if (!decisionTurns) throw new InvalidRecord(`'decision_turns' holds something other than integers`);
        if (got.task !== 'object') throw new InvalidRecord(`'task' is not an object`);
        return {
            step: got.step as number, rollout: got.rollout as number, group: got.group as number, sample: got.sample as number,
            parent: got.parent as number | null, reward: got.reward, success: got.success === true,
            agents: agents!, decisionTurns, credit: credit!,
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
        if (c === 0x7d) { j.pos++; return false; }
        if (c !== 0x2c) j.fail("',' or '}'");
        j.pos++;
        return true;
    }

    private keyIndex(buf: Uint8Array, table: Uint8Array[]): number {
        const start = this.keyStart, length = this.keyEnd - start;
        if (this.keyEscaped) {
            const text = this.decodeString(buf, start - 1, this.keyEnd + 1);
            return table.findIndex(bytes => this.decoder.decode(bytes) === text);
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
        if (j.peek() === 0x5d) { j.pos++; return agents; }
        for (let at = 0; ; at++) {
            if (j.peek() !== 0x7b) { j.skipValue(); problem ??= `turns[${at}] is not an object`; }
            else {
                let agent: string | undefined, prompt = false, output = false, tokenIds = false, logprobs = false;
                if (this.enter(j)) do {
                    this.key(j);
                    const which = this.keyIndex(j.buf, TURN);
                    const c = j.peek();
                    if (which === 0 && c === 0x22) agent = this.agent(j);
                    else {
                        if (which === 1) prompt = c === 0x22;
                        else if (which === 2) output = c === 0x22;
                        else if (which === 3) tokenIds = c === 0x5b;
                        else if (which === 4) logprobs = c === 0x5b;
                        j.skipValue();
                    }
                } while (this.more(j));
                if (agent === undefined) problem ??= `turns[${at}].agent is not a string`;
                else if (!output) problem ??= `turns[${at}].output is not a string`;
                else if (!prompt) problem ??= `turns[${at}].prompt is not a string`;
                else if (!tokenIds || !logprobs) problem ??= `turns[${at}] lacks token_ids/logprobs arrays`;
                agents.push(agent ?? '');
            }
            const c = j.peek();
            if (c === 0x5d) { j.pos++; break; }
            if (c !== 0x2c) j.fail("',' or ']'");
            j.pos++;
        }
        return problem ?? agents;
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
        if (j.peek() === 0x5d) { j.pos++; return out; }
        for (;;) {
            const value = j.readScalar();
            if (typeof value !== 'number' || (integers && !Number.isSafeInteger(value))) ok = false;
            else out.push(value);
            const c = j.peek();
            if (c === 0x5d) { j.pos++; return ok ? out : undefined; }
            if (c !== 0x2c) j.fail("',' or ']'");
            j.pos++;
        }
    }

    /** credit: method → numbers; a method whose value is not an array of numbers is left out, as it cannot be drawn. */
    private credit(j: JsonBytes): Record<string, number[]> {
        const credit: Record<string, number[]> = {};
        if (this.enter(j)) do {
            this.key(j);
            const name = this.keyEscaped ? this.decodeString(j.buf, this.keyStart - 1, this.keyEnd + 1) : this.name(j.buf, this.keyStart, this.keyEnd);
            const values = j.peek() === 0x5b ? this.numbers(j, false) : (j.skipValue(), undefined);
            if (values && name !== '__proto__') credit[name] = values;
        } while (this.more(j));
        return credit;
    }
}
