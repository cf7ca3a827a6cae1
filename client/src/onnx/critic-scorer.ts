import { access } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { criticCredit } from '../../../analysis/critic/transcript.js';
import { WorkerRpc } from '../../../analysis/worker/worker-rpc.js';
import { parseBoundedJson } from '../../../analysis/run-dir/json-bounded.js';
import { resolveInRunDir } from '../../../analysis/run-dir/paths.js';
import { readRegularFile } from '../../../analysis/run-dir/safe-file.js';
import { RUN_DIR_FILES, type TrajectoryRecord } from '../../../protocol/run-dir.js';
import type { RewardSpec } from '../../../protocol/run-spec.js';
import type { CriticScorer } from '../views/trajectory/controller.js';
import { checkSidecar, criticRewards, encodePrefixes } from './critic-inputs.js';
import type { CriticRequest } from './critic-protocol.js';

/**
 * Critic credit for what-if transcripts: features here (analysis/), inference in a worker running onnxruntime-node
 * (started on first use). Only in trusted workspaces: a model file from a run directory is not loaded otherwise.
 */
export class OnnxCriticScorer implements CriticScorer {
    private readonly rpc: WorkerRpc<Omit<CriticRequest, 'id'>>;

    constructor(
        workerFile: string,
        private readonly trusted: () => boolean,
    ) {
        this.rpc = new WorkerRpc({
            start: () => new Worker(workerFile),
            crashError: (reason) => new Error(`the critic worker stopped: ${reason.message}`),
        });
    }

    async available(root: string): Promise<boolean> {
        try {
            await access(await resolveInRunDir(root, RUN_DIR_FILES.critic));
            await access(await resolveInRunDir(root, RUN_DIR_FILES.criticSidecar));
            return true;
        } catch {
            return false;
        }
    }

    async credit(root: string, record: TrajectoryRecord, level: RewardSpec['level']): Promise<number[]> {
        if (!this.trusted())
            throw new Error(
                "this workspace is not trusted, so the run's critic.onnx is not loaded; trust the workspace to recompute critic credit.",
            );
        const values = await this.values(root, record.turns);
        return criticCredit(criticRewards(level, record.reward, record.decision_rewards), Array.from(values));
    }

    /** The training step at which critic.onnx was exported (its sidecar's `step`). */
    async exportedStep(root: string): Promise<number> {
        return (await this.sidecar(root)).step;
    }

    /** The checked sidecar of the run's critic.onnx (its model file read to check the hash). */
    private async sidecar(root: string): Promise<ReturnType<typeof checkSidecar>> {
        const modelPath = await resolveInRunDir(root, RUN_DIR_FILES.critic);
        const sidecarPath = await resolveInRunDir(root, RUN_DIR_FILES.criticSidecar);
        try {
            return checkSidecar(parseBoundedJson(await readRegularFile(sidecarPath)), await readRegularFile(modelPath));
        } catch (error) {
            throw new Error(`${sidecarPath}: ${(error as Error).message}`);
        }
    }

    /** V(h_t) before every decision of the transcript. */
    async values(root: string, turns: TrajectoryRecord['turns']): Promise<Float32Array> {
        const modelPath = await resolveInRunDir(root, RUN_DIR_FILES.critic);
        const sidecar = await this.sidecar(root);
        const batch = encodePrefixes(sidecar, turns);
        return this.infer({
            model: modelPath,
            inputs: [sidecar.inputs[0]!.name, sidecar.inputs[1]!.name],
            output: sidecar.outputs[0]!.name,
            batch: batch.batch,
            width: batch.width,
            inputIds: batch.inputIds,
            attentionMask: batch.attentionMask,
        });
    }

    dispose(): Promise<void> {
        return this.rpc.dispose('the critic was closed');
    }

    private infer(request: Omit<CriticRequest, 'id'>): Promise<Float32Array> {
        if (request.batch === 0) return Promise.resolve(new Float32Array(0));
        return this.rpc.call<Float32Array>(request);
    }
}
