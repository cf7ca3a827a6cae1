import type { TrajectoryToHost } from '../../../../protocol/trajectory-messages.js';

/** Output text a what-if may carry; a message is model-sized, not file-sized. */
const MAX_WHATIF_OUTPUT = 1_000_000;

const isIndex = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** A message from the trajectory view, or undefined when it is not one it sends (the view is untrusted input). */
export function parseTrajectoryToHost(value: unknown): TrajectoryToHost | undefined {
    if (typeof value !== 'object' || value === null) return undefined;
    const m = value as Record<string, unknown>;
    switch (m['type']) {
        case 'ready':
            return { type: 'ready' };
        case 'trajectory/rescore':
            return { type: 'trajectory/rescore' };
        case 'trajectory/openRollout':
        case 'trajectory/debugRollout':
            return isIndex(m['step']) && isIndex(m['rollout'])
                ? { type: m['type'], step: m['step'], rollout: m['rollout'] }
                : undefined;
        case 'trajectory/stepRollouts':
            return isIndex(m['step']) ? { type: m['type'], step: m['step'] } : undefined;
        case 'trajectory/openGroup':
            return isIndex(m['step']) && isIndex(m['group'])
                ? { type: m['type'], step: m['step'], group: m['group'] }
                : undefined;
        case 'trajectory/stepHeatmap':
            return isIndex(m['step']) && typeof m['method'] === 'string' && m['method'].length < 100
                ? { type: m['type'], step: m['step'], method: m['method'] }
                : undefined;
        case 'trajectory/focusTurn':
            return isIndex(m['step']) && isIndex(m['rollout']) && isIndex(m['turn'])
                ? { type: m['type'], step: m['step'], rollout: m['rollout'], turn: m['turn'] }
                : undefined;
        case 'trajectory/whatIf':
            return isIndex(m['step']) &&
                isIndex(m['rollout']) &&
                isIndex(m['turn']) &&
                typeof m['output'] === 'string' &&
                m['output'].length <= MAX_WHATIF_OUTPUT
                ? { type: m['type'], step: m['step'], rollout: m['rollout'], turn: m['turn'], output: m['output'] }
                : undefined;
        default:
            return undefined;
    }
}
