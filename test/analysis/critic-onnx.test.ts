// The critic the trainer exports runs in onnxruntime-node with the TypeScript tokenizer and transcript format,
// and gives PyTorch's values (fixture: trainer/tools/make_critic_onnx_fixture.py).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeCharBatch, encodeChars } from '../../analysis/critic/tokenize.js';
import { criticCredit, decisionPrefixes, type TranscriptTurn } from '../../analysis/critic/transcript.js';
import { CRITIC_SIDECAR_VERSION, CRITIC_TRANSCRIPT_FORMAT, type CriticSidecar } from '../../protocol/run-dir.js';

const DIR = join(import.meta.dirname, '../fixtures/critic');
const sidecar = JSON.parse(readFileSync(join(DIR, 'critic.onnx.json'), 'utf8')) as CriticSidecar;
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as {
    turns: TranscriptTurn[][];
    prefixes: string[][];
    texts: string[];
    ids: number[][];
    values: number[];
};
const vectors = JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/credit/critic.json'), 'utf8')) as {
    name: string;
    rewards: number[];
    values: number[];
    credit: number[];
}[];

describe('critic.onnx from the trainer', () => {
    it('is the file its sidecar describes', () => {
        const bytes = readFileSync(join(DIR, sidecar.file));
        expect(sidecar.version).toBe(CRITIC_SIDECAR_VERSION);
        expect(sidecar.transcript_format).toBe(CRITIC_TRANSCRIPT_FORMAT);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(sidecar.sha256);
        expect(sidecar.inputs.map((i) => i.name)).toEqual(['input_ids', 'attention_mask']);
    });

    it('reads the same transcript prefixes and token ids as the trainer', () => {
        expect(expected.turns.map((turns) => decisionPrefixes(turns))).toEqual(expected.prefixes);
        if (sidecar.tokenizer.kind !== 'chars') throw new Error('the fixture critic must use the chars tokenizer');
        const tokenizer = sidecar.tokenizer;
        expect(expected.texts.map((t) => encodeChars(tokenizer, t))).toEqual(expected.ids);
    });

    it('gives PyTorch values within 1e-5 in onnxruntime-node', async () => {
        if (sidecar.tokenizer.kind !== 'chars') throw new Error('the fixture critic must use the chars tokenizer');
        const batch = encodeCharBatch(sidecar.tokenizer, expected.texts);
        const session = await ort.InferenceSession.create(join(DIR, sidecar.file));
        const shape = [batch.batch, batch.width];
        const out = await session.run({
            input_ids: new ort.Tensor('int64', batch.inputIds, shape),
            attention_mask: new ort.Tensor('int64', batch.attentionMask, shape),
        });
        const values = Array.from(out[sidecar.outputs[0].name].data as Float32Array);
        expect(values).toHaveLength(expected.values.length);
        expect(Math.max(...expected.values.map(Math.abs))).toBeGreaterThan(1e-3);
        values.forEach((v, i) => expect(Math.abs(v - expected.values[i])).toBeLessThanOrEqual(1e-5));
    });
});

describe('critic credit (golden vectors shared with the trainer)', () => {
    it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
        const credit = criticCredit(v.rewards, v.values);
        expect(credit).toHaveLength(v.credit.length);
        credit.forEach((c, i) => expect(Math.abs(c - v.credit[i])).toBeLessThanOrEqual(1e-9));
    });
});
