/**
 * Worker-thread entry (out/critic-worker.cjs): runs the run's critic.onnx with onnxruntime-node on the CPU. The
 * native module is imported on the first request, inside this worker: activation and the extension host's thread
 * never load it, and if it cannot load, the request fails with the reason while everything else keeps working.
 */
import { parentPort } from 'node:worker_threads';
import type { CriticRequest, CriticResponse } from './critic-protocol.js';

type Ort = typeof import('onnxruntime-node');
type Session = Awaited<ReturnType<Ort['InferenceSession']['create']>>;

const port = parentPort;
if (!port) throw new Error('critic worker: start this file with new Worker(...), not directly.');
let ort: Promise<Ort> | undefined;
const sessions = new Map<string, Promise<Session>>();

async function loadRuntime(): Promise<Ort> {
    try {
        return await import('onnxruntime-node');
    } catch (error) {
        throw new Error(
            `onnxruntime-node could not be loaded (${(error as Error).message}); critic credit is unavailable, the rest of the view works.`,
        );
    }
}

async function session(model: string): Promise<Session> {
    ort ??= loadRuntime();
    const runtime = await ort;
    let s = sessions.get(model);
    if (!s) {
        s = runtime.InferenceSession.create(model, { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
        sessions.set(model, s);
        s.catch(() => sessions.delete(model));
    }
    try {
        return await s;
    } catch (error) {
        throw new Error(`${model} could not be loaded as an ONNX model (${(error as Error).message}).`);
    }
}

async function run(request: CriticRequest): Promise<Float32Array> {
    const runtime = await (ort ??= loadRuntime());
    const s = await session(request.model);
    const shape = [request.batch, request.width];
    const result = await s.run({
        [request.inputs[0]]: new runtime.Tensor('int64', request.inputIds, shape),
        [request.inputs[1]]: new runtime.Tensor('int64', request.attentionMask, shape),
    });
    const out = result[request.output];
    if (!out)
        throw new Error(
            `critic.onnx has no output '${request.output}' (it has ${Object.keys(result).join(', ')}); fix critic.json.`,
        );
    const values = out.data as Float32Array;
    if (values.length !== request.batch)
        throw new Error(
            `critic.onnx returned ${values.length} values for ${request.batch} prefixes; its output must be [batch].`,
        );
    return Float32Array.from(values);
}

port.on('message', (request: CriticRequest) => {
    void run(request)
        .then(
            (value): CriticResponse => ({ id: request.id, ok: true, value }),
            (error: unknown): CriticResponse => ({
                id: request.id,
                ok: false,
                error: error instanceof Error ? error.message : String(error),
            }),
        )
        .then((response) => port.postMessage(response));
});
