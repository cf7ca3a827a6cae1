/**
 * A JSON reader over raw UTF-8 bytes that checks the full JSON grammar (and UTF-8) of a value while materialising
 * nothing it is not asked for. The index build uses it to keep a few fields of each trajectory line and skip the
 * rest (prompts, outputs, token ids, logprobs: nearly all the bytes) without building strings or objects for them,
 * which is what makes it several times faster than JSON.parse of every line. Pure: no Node built-ins.
 */

export class JsonBytesError extends Error {
    constructor(
        message: string,
        readonly kind: 'json' | 'utf8' | 'depth',
    ) {
        super(message);
    }
}

/** Deepest nesting any reader accepts: JSON.parse itself copes with more, but stringify, structured clone and
 *  recursive consumers overflow the stack far sooner (a metrics line 5 000 deep killed the run-reader worker). */
export const MAX_JSON_DEPTH = 1000;
const MAX_DEPTH = MAX_JSON_DEPTH;
const OBJECT = 1,
    ARRAY = 2;
const TWO_53 = 2 ** 53;
const POWERS_OF_TEN = Array.from({ length: 23 }, (_, i) => 10 ** i); // exact doubles up to 1e22

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

export class JsonBytes {
    pos: number;
    private readonly stack = new Uint8Array(MAX_DEPTH);

    constructor(
        public buf: Uint8Array,
        public start: number,
        public end: number,
    ) {
        this.pos = start;
    }

    /** Points the reader at another line (one reader per scanner: no allocation per line). */
    reset(buf: Uint8Array, start: number, end: number): void {
        this.buf = buf;
        this.start = start;
        this.end = end;
        this.pos = start;
    }

    fail(what?: string): never {
        const column = this.pos - this.start + 1;
        if (this.pos >= this.end)
            throw new JsonBytesError(`unexpected end of line${what ? ` (expected ${what})` : ''}`, 'json');
        const c = this.buf[this.pos]!;
        const shown = c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16)}`;
        throw new JsonBytesError(`unexpected ${shown} at column ${column}${what ? ` (expected ${what})` : ''}`, 'json');
    }

    ws(): void {
        const buf = this.buf,
            end = this.end;
        let pos = this.pos;
        while (pos < end) {
            const c = buf[pos]!;
            if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
            pos++;
        }
        this.pos = pos;
    }

    /** The next byte after whitespace, or -1 at the end. */
    peek(): number {
        this.ws();
        return this.pos < this.end ? this.buf[this.pos]! : -1;
    }

    expect(c: number, what: string): void {
        if (this.peek() !== c) this.fail(what);
        this.pos++;
    }

    /** At a '"': skips the string, checking escapes, control characters and UTF-8. Returns true if it had escapes. */
    skipString(): boolean {
        const buf = this.buf,
            end = this.end;
        let pos = this.pos + 1,
            escaped = false;
        for (;;) {
            if (pos >= end) {
                this.pos = pos;
                this.fail('closing quote');
            }
            const c = buf[pos]!;
            if (c === 0x22) break;
            if (c < 0x20) {
                this.pos = pos;
                this.fail('a character, not a control byte');
            }
            if (c === 0x5c) {
                escaped = true;
                const e = pos + 1 < end ? buf[pos + 1]! : -1;
                if (e === 0x75) {
                    for (let k = 2; k < 6; k++)
                        if (pos + k >= end || !isHex(buf[pos + k]!)) {
                            this.pos = pos + k;
                            this.fail('hex digit');
                        }
                    pos += 6;
                } else if (
                    e === 0x22 ||
                    e === 0x5c ||
                    e === 0x2f ||
                    e === 0x62 ||
                    e === 0x66 ||
                    e === 0x6e ||
                    e === 0x72 ||
                    e === 0x74
                ) {
                    pos += 2;
                } else {
                    this.pos = pos + 1;
                    this.fail('escape');
                }
            } else if (c < 0x80) pos++;
            else pos = this.utf8(pos, c);
        }
        this.pos = pos + 1;
        return escaped;
    }

    /** A multi-byte UTF-8 sequence starting at `pos` (lead byte `c`); returns the position after it. */
    private utf8(pos: number, c: number): number {
        const buf = this.buf;
        let n: number,
            lo = 0x80,
            hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) n = 1;
        else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            if (c === 0xe0) lo = 0xa0;
            else if (c === 0xed) hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            if (c === 0xf0) lo = 0x90;
            else if (c === 0xf4) hi = 0x8f;
        } else throw new JsonBytesError('not valid UTF-8', 'utf8');
        for (let k = 1; k <= n; k++) {
            const b = pos + k < this.end ? buf[pos + k]! : -1;
            if (b < (k === 1 ? lo : 0x80) || b > (k === 1 ? hi : 0xbf))
                throw new JsonBytesError('not valid UTF-8', 'utf8');
        }
        return pos + n + 1;
    }

    /** Reads a number at `pos`, checking its grammar; its value equals JSON.parse's. */
    private number(): number {
        const buf = this.buf,
            end = this.end;
        let pos = this.pos,
            mantissa = 0,
            scale = 0;
        const negative = buf[pos] === 0x2d;
        if (negative) pos++;
        if (pos < end && buf[pos] === 0x30) pos++;
        else if (pos < end && isDigit(buf[pos]!))
            while (pos < end && isDigit(buf[pos]!)) mantissa = mantissa * 10 + buf[pos++]! - 0x30;
        else {
            this.pos = pos;
            this.fail('a digit');
        }
        if (pos < end && buf[pos] === 0x2e) {
            pos++;
            if (!(pos < end && isDigit(buf[pos]!))) {
                this.pos = pos;
                this.fail('a digit');
            }
            while (pos < end && isDigit(buf[pos]!)) {
                mantissa = mantissa * 10 + buf[pos++]! - 0x30;
                scale--;
            }
        }
        if (pos < end && (buf[pos] === 0x65 || buf[pos] === 0x45)) {
            pos++;
            let sign = 1,
                exponent = 0;
            if (pos < end && (buf[pos] === 0x2b || buf[pos] === 0x2d)) sign = buf[pos++] === 0x2d ? -1 : 1;
            if (!(pos < end && isDigit(buf[pos]!))) {
                this.pos = pos;
                this.fail('a digit');
            }
            while (pos < end && isDigit(buf[pos]!)) exponent = Math.min(exponent * 10 + buf[pos++]! - 0x30, 1e6);
            scale += sign * exponent;
        }
        const startOf = this.pos;
        this.pos = pos;
        // Clinger's fast path: an exact mantissa and an exact power of ten give a correctly rounded quotient/product.
        if (mantissa <= TWO_53 && scale >= -22 && scale <= 22) {
            const value = scale < 0 ? mantissa / POWERS_OF_TEN[-scale]! : mantissa * POWERS_OF_TEN[scale]!;
            return negative ? -value : value;
        }
        let text = '';
        for (let k = startOf; k < pos; k++) text += String.fromCharCode(buf[k]!);
        return Number(text);
    }

    /** Skips a number at `pos`, checking its grammar only: the hot path (token ids and logprobs are most bytes). */
    private skipNumber(): void {
        const buf = this.buf,
            end = this.end;
        let pos = this.pos;
        let c = buf[pos]!;
        if (c === 0x2d) c = ++pos < end ? buf[pos]! : -1;
        if (c === 0x30) c = ++pos < end ? buf[pos]! : -1;
        else if (c >= 0x31 && c <= 0x39)
            do c = ++pos < end ? buf[pos]! : -1;
            while (c >= 0x30 && c <= 0x39);
        else {
            this.pos = pos;
            this.fail('a digit');
        }
        if (c === 0x2e) {
            c = ++pos < end ? buf[pos]! : -1;
            if (c < 0x30 || c > 0x39) {
                this.pos = pos;
                this.fail('a digit');
            }
            do c = ++pos < end ? buf[pos]! : -1;
            while (c >= 0x30 && c <= 0x39);
        }
        if (c === 0x65 || c === 0x45) {
            c = ++pos < end ? buf[pos]! : -1;
            if (c === 0x2b || c === 0x2d) c = ++pos < end ? buf[pos]! : -1;
            if (c < 0x30 || c > 0x39) {
                this.pos = pos;
                this.fail('a digit');
            }
            do c = ++pos < end ? buf[pos]! : -1;
            while (c >= 0x30 && c <= 0x39);
        }
        this.pos = pos;
    }

    /** Reads a number value (after whitespace); fails on anything else. */
    readNumber(what: string): number {
        const c = this.peek();
        if (c !== 0x2d && !isDigit(c)) this.fail(what);
        return this.number();
    }

    private literal(word: string): void {
        for (let k = 0; k < word.length; k++) {
            if (this.pos >= this.end || this.buf[this.pos] !== word.charCodeAt(k)) this.fail(`'${word}'`);
            this.pos++;
        }
    }

    /** Reads true/false/null or a number (after whitespace) as a JS value; undefined for strings and containers. */
    readScalar(): number | boolean | null | undefined {
        const c = this.peek();
        if (c === 0x74) {
            this.literal('true');
            return true;
        }
        if (c === 0x66) {
            this.literal('false');
            return false;
        }
        if (c === 0x6e) {
            this.literal('null');
            return null;
        }
        if (c === 0x2d || isDigit(c)) return this.number();
        this.skipValue();
        return undefined;
    }

    /** Skips any value, checking its grammar; nesting is followed with an explicit stack (no recursion). */
    skipValue(): void {
        const stack = this.stack;
        let depth = 0;
        value: for (;;) {
            const c = this.peek();
            if (c === 0x7b || c === 0x5b) {
                // An empty container counts as a level too: exactly MAX_DEPTH levels are read, whatever the innermost.
                if (depth === MAX_DEPTH)
                    throw new JsonBytesError(
                        `nested deeper than ${MAX_DEPTH} levels (column ${this.pos - this.start + 1})`,
                        'depth',
                    );
                this.pos++;
                if (this.peek() === (c === 0x7b ? 0x7d : 0x5d)) this.pos++;
                else {
                    stack[depth++] = c === 0x7b ? OBJECT : ARRAY;
                    if (c === 0x7b) this.key();
                    continue value;
                }
            } else if (c === 0x22) this.skipString();
            else if (c === 0x2d || isDigit(c)) this.skipNumber();
            else if (c === 0x74) this.literal('true');
            else if (c === 0x66) this.literal('false');
            else if (c === 0x6e) this.literal('null');
            else this.fail('a value');
            while (depth > 0) {
                const top = stack[depth - 1];
                if (top === ARRAY) {
                    // Hot path: compact arrays of numbers (token ids, logprobs) are most of a trajectory's bytes.
                    const buf = this.buf,
                        end = this.end;
                    while (this.pos + 1 < end && buf[this.pos] === 0x2c) {
                        const d = buf[this.pos + 1]!;
                        if (d !== 0x2d && (d < 0x30 || d > 0x39)) break;
                        this.pos++;
                        this.skipNumber();
                    }
                }
                const next = this.peek();
                if (next === 0x2c) {
                    this.pos++;
                    if (top === OBJECT) this.key();
                    continue value;
                }
                if (next !== (top === OBJECT ? 0x7d : 0x5d)) this.fail(top === OBJECT ? "',' or '}'" : "',' or ']'");
                this.pos++;
                depth--;
            }
            return;
        }
    }

    /** Skips `"key" :` inside an object. */
    private key(): void {
        if (this.peek() !== 0x22) this.fail('a key');
        this.skipString();
        this.expect(0x3a, "':'");
    }
}
