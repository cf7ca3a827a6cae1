import type { TurnRecord } from '../../protocol/run-dir.js';

/**
 * The turns with one output replaced: the "what if this agent had said …" transcript (later turns kept). Apart from
 * score-rollout.ts so that the extension host can build it for the critic without loading the expression evaluator.
 */
export function withOutput(turns: readonly TurnRecord[], turn: number, output: string): TurnRecord[] {
    if (!turns[turn]) throw new Error(`turn ${turn} does not exist (the rollout has ${turns.length} turns).`);
    return turns.map((t, i) => (i === turn ? { ...t, output } : t));
}
