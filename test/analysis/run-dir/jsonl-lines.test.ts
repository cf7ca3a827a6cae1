import { describe, expect, it } from 'vitest';
import { JsonlLines, type JsonlValidator } from '../../../analysis/run-dir/jsonl-lines.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('JsonlLines', () => {
    it('returns the records of complete lines and holds back a torn last line until its newline arrives', () => {
        const reader = new JsonlLines('metrics.jsonl');
        const first = reader.push(bytes('{"step":1}\n{"step":2}\n{"st'));
        expect(first).toEqual({ records: [{ step: 1 }, { step: 2 }], issues: [] });
        expect(reader.pendingBytes).toBe(4);
        expect(reader.consumedBytes).toBe(22);
        const second = reader.push(bytes('ep":3}\n'));
        expect(second).toEqual({ records: [{ step: 3 }], issues: [] });
        expect(reader.pendingBytes).toBe(0);
        expect(reader.nextLine).toBe(4);
    });

    it('reports a corrupt middle line with file:line, skips it and keeps reading', () => {
        const reader = new JsonlLines('run/metrics.jsonl');
        const batch = reader.push(bytes('{"step":1}\n{"step":\n{"step":3}\n'));
        expect(batch.records).toEqual([{ step: 1 }, { step: 3 }]);
        expect(batch.issues).toHaveLength(1);
        expect(batch.issues[0]).toMatchObject({ file: 'run/metrics.jsonl', line: 2 });
        expect(batch.issues[0]!.message).toMatch(/not valid JSON/);
    });

    it('gives the same records whatever the chunk boundaries, including inside a multi-byte character', () => {
        const text = '{"agent":"Überprüfer 🧮"}\n{"agent":"solver"}\n\n{"agent":"ваня"}\r\n';
        const all = bytes(text);
        const expected = [{ agent: 'Überprüfer 🧮' }, { agent: 'solver' }, { agent: 'ваня' }];
        for (let size = 1; size <= all.length; size++) {
            const reader = new JsonlLines('f');
            const records: unknown[] = [];
            for (let at = 0; at < all.length; at += size) {
                const batch = reader.push(all.subarray(at, at + size));
                expect(batch.issues).toEqual([]);
                records.push(...batch.records);
            }
            expect(records).toEqual(expected);
            expect(reader.consumedBytes).toBe(all.length);
        }
    });

    it('does not keep a reference to the caller buffer', () => {
        const reader = new JsonlLines('f');
        const buffer = bytes('{"a":1');
        reader.push(buffer);
        buffer.fill(0x20);
        expect(reader.push(bytes('}\n')).records).toEqual([{ a: 1 }]);
    });

    it('reports invalid UTF-8 and validator refusals as issues with their line numbers', () => {
        const validate: JsonlValidator<{ step: number }> = (value) =>
            typeof (value as { step?: unknown }).step === 'number'
                ? { ok: true, value: value as { step: number } }
                : { ok: false, error: 'record has no numeric "step"' };
        const reader = new JsonlLines('m.jsonl', { validate });
        const bad = new Uint8Array([...bytes('{"step":"'), 0xff, ...bytes('"}\n')]);
        reader.push(bytes('{"step":1}\n'));
        const batch = reader.push(new Uint8Array([...bad, ...bytes('{"nostep":1}\n{"step":4}\n')]));
        expect(batch.records).toEqual([{ step: 4 }]);
        expect(batch.issues.map((i) => [i.line, i.message])).toEqual([
            [2, 'line is not valid UTF-8; skipped'],
            [3, 'record has no numeric "step"; skipped'],
        ]);
    });

    it('finish() keeps a complete record without a final newline and drops a torn one', () => {
        const whole = new JsonlLines('f');
        whole.push(bytes('{"a":1}\n{"a":2}'));
        expect(whole.finish()).toEqual({ records: [{ a: 2 }], issues: [], tornBytes: 0 });

        const torn = new JsonlLines('f');
        torn.push(bytes('{"a":1}\n{"a":'));
        expect(torn.finish()).toEqual({ records: [], issues: [], tornBytes: 5 });
        expect(torn.consumedBytes).toBe(8);
    });

    it('skips an overlong line without buffering it and recovers on the next line', () => {
        const reader = new JsonlLines('f', { maxLineBytes: 16 });
        const first = reader.push(bytes(`{"a":1}\n{"big":"${'x'.repeat(40)}`));
        expect(first.records).toEqual([{ a: 1 }]);
        const second = reader.push(bytes(`${'y'.repeat(40)}"}\n{"b":2}\n`));
        expect(second.records).toEqual([{ b: 2 }]);
        expect(second.issues).toEqual([{ file: 'f', line: 2, message: 'line is longer than 16 bytes; skipped' }]);
    });

    it('resumes at a given offset and line, and reset() starts over after a truncation', () => {
        const reader = new JsonlLines('f', { startOffset: 100, startLine: 7 });
        const batch = reader.push(bytes('oops\n{"a":1}\n'));
        expect(batch.issues[0]!.line).toBe(7);
        expect(reader.consumedBytes).toBe(113);
        reader.reset();
        expect(reader.consumedBytes).toBe(0);
        expect(reader.push(bytes('x\n')).issues[0]!.line).toBe(1);
    });
});
