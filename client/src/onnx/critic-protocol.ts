/** Messages between OnnxCriticScorer and critic-worker.ts: one batch of encoded prefixes per request. */
export interface CriticRequest {
    id: number;
    model: string;
    /** Names of the int64 inputs (ids, mask) and of the float32 output, from critic.onnx.json. */
    inputs: [string, string];
    output: string;
    batch: number;
    width: number;
    inputIds: BigInt64Array;
    attentionMask: BigInt64Array;
}

export type CriticResponse =
    | { id: number; ok: true; values: Float32Array }
    | { id: number; ok: false; error: string };
