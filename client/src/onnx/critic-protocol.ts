import type { WorkerReply } from '../../../analysis/worker/worker-rpc.js';

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

/** V(h) of each prefix of the batch, or the error text. */
export type CriticResponse = WorkerReply<Float32Array>;
