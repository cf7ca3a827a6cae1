import { createHash } from 'node:crypto';
import { encodeCharBatch, type CriticBatch } from '../../../analysis/critic/tokenize.js';
import { decisionPrefixes } from '../../../analysis/critic/transcript.js';
import {
    CRITIC_SIDECAR_VERSION,
    CRITIC_TRANSCRIPT_FORMAT,
    type CriticSidecar,
    type TrajectoryRecord,
} from '../../../protocol/run-dir.js';
import type { RewardSpec } from '../../../protocol/run-spec.js';

/** Checks critic.onnx.json against what this editor can run; the message says what is wrong. */
export function checkSidecar(value: unknown, modelBytes: Uint8Array): CriticSidecar & { tokenizer: { kind: 'chars' } } {
    const s = value as Partial<CriticSidecar> | null;
    if (s?.version !== CRITIC_SIDECAR_VERSION)
        throw new Error(
            `critic.onnx.json version ${JSON.stringify(s?.version)} is not supported (expected ${CRITIC_SIDECAR_VERSION}).`,
        );
    if (s.transcript_format !== CRITIC_TRANSCRIPT_FORMAT)
        throw new Error(
            `critic.onnx.json transcript format ${JSON.stringify(s.transcript_format)} is not supported (expected ${CRITIC_TRANSCRIPT_FORMAT}).`,
        );
    if (s.tokenizer?.kind !== 'chars')
        throw new Error(
            'this critic uses a transformers tokenizer, which the editor cannot reproduce; what-if critic credit works with scratch (chars) critics.',
        );
    if (!Array.isArray(s.inputs) || s.inputs.length !== 2 || !Array.isArray(s.outputs) || s.outputs.length < 1)
        throw new Error('critic.onnx.json must list two inputs (ids, mask) and one output.');
    const digest = createHash('sha256').update(modelBytes).digest('hex');
    if (digest !== s.sha256)
        throw new Error('critic.onnx does not match its sidecar (an export was in progress); try again in a moment.');
    return s as CriticSidecar & { tokenizer: { kind: 'chars' } };
}

/** The critic's input for every decision of a transcript. */
export function encodePrefixes(
    sidecar: CriticSidecar & { tokenizer: { kind: 'chars' } },
    turns: TrajectoryRecord['turns'],
): CriticBatch {
    return encodeCharBatch(sidecar.tokenizer, decisionPrefixes(turns));
}

/**
 * r_t per decision (twin of mas_trainer/critic/credit.py `decision_rewards`): at `turn` level each decision's own
 * reward; otherwise the rollout's reward arrives after the last decision.
 */
export function criticRewards(
    level: RewardSpec['level'],
    total: number,
    perDecision: readonly (number | null)[],
): number[] {
    const n = perDecision.length;
    if (level === 'turn' && perDecision.every((r) => r !== null)) return perDecision as number[];
    return n ? [...new Array<number>(n - 1).fill(0), total] : [];
}
