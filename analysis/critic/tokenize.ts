import type { CriticCharTokenizer } from '../../protocol/run-dir.js';

/** The critic's input tensors' data, row-major [batch, width] (onnxruntime-node takes BigInt64Array for int64). */
export interface CriticBatch {
    inputIds: BigInt64Array;
    attentionMask: BigInt64Array;
    batch: number;
    width: number;
}

/**
 * Ids of one text exactly as the trainer's CharTokenizer + encode_batch make them (mas_trainer/critic/model.py):
 * one id per Unicode code point, the last `max_length` kept, an empty text as one pad id.
 */
export function encodeChars(tokenizer: CriticCharTokenizer, text: string): number[] {
    const index = new Map<string, number>();
    [...tokenizer.alphabet].forEach((ch, i) => {
        if (!index.has(ch)) index.set(ch, i);
    });
    const ids = [...text].map((ch) => {
        const i = index.get(ch);
        return i === undefined ? tokenizer.unk_id : tokenizer.offset + i;
    });
    const kept = ids.length === 0 ? [tokenizer.pad_id] : ids;
    return kept.slice(Math.max(0, kept.length - tokenizer.max_length));
}

/** Right-padded batch of several texts, with the attention mask (1 for real ids). */
export function encodeCharBatch(tokenizer: CriticCharTokenizer, texts: readonly string[]): CriticBatch {
    const rows = texts.map((t) => encodeChars(tokenizer, t));
    const width = Math.max(1, ...rows.map((r) => r.length));
    const inputIds = new BigInt64Array(rows.length * width).fill(BigInt(tokenizer.pad_id));
    const attentionMask = new BigInt64Array(rows.length * width);
    rows.forEach((row, b) =>
        row.forEach((id, j) => {
            inputIds[b * width + j] = BigInt(id);
            attentionMask[b * width + j] = 1n;
        }),
    );
    return { inputIds, attentionMask, batch: rows.length, width };
}
