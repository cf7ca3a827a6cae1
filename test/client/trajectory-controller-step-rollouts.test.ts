// The view asks for a step's rollouts when the user opens it (issue 15 item 6); the request is untrusted input.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { summarizeRun } from '../../analysis/run-dir/view-model.js';
import { TrajectoryController } from '../../client/src/views/trajectory/controller.js';
import { parseTrajectoryToHost } from '../../client/src/views/trajectory/messages.js';
import type { TrajectoryToView } from '../../protocol/trajectory-messages.js';

const RUN = resolve('test/fixtures/runs/lazy-team-3steps');

function controller(): { posted: TrajectoryToView[]; c: TrajectoryController } {
    const posted: TrajectoryToView[] = [];
    return {
        posted,
        c: new TrajectoryController({ reader: new RunDirService(), root: RUN, post: (m) => posted.push(m) }),
    };
}

describe("TrajectoryController: a step's rollouts on request", () => {
    it('opens with step heads and the latest step only; the per-agent summary still covers every step', async () => {
        const { posted, c } = controller();
        const full = summarizeRun(await new RunDirService().index(RUN), false);
        await c.handle({ type: 'ready' });
        const open = posted.find((m) => m.type === 'trajectory/run');
        if (open?.type !== 'trajectory/run') throw new Error('no trajectory/run posted');
        expect(open.run.steps).toEqual(
            full.steps.map((s) => ({
                step: s.step,
                rolloutCount: s.rollouts.length,
                meanReward: s.meanReward,
                successRate: s.successRate,
            })),
        );
        expect(open.run.opened).toEqual({ step: 3, rollouts: full.steps.at(-1)!.rollouts });
        // Read from the whole run index on the host, not from the rollouts the view happens to hold.
        expect(open.run.agentSummary).toEqual(full.agentSummary);
        // One list of rollouts in the whole message: the opened step's.
        expect(JSON.stringify(open.run).match(/"rollouts":/g)).toHaveLength(1);
    });

    it("answers with the step's rollouts, the same as the full summary's", async () => {
        const { posted, c } = controller();
        const full = summarizeRun(await new RunDirService().index(RUN), false);
        await c.handle({ type: 'trajectory/stepRollouts', step: 2 });
        expect(posted).toEqual([
            { type: 'trajectory/stepRollouts', step: 2, rollouts: full.steps.find((s) => s.step === 2)!.rollouts },
        ]);
    });

    it('an unknown or huge step gets null rollouts, not an error', async () => {
        const { posted, c } = controller();
        await c.handle({ type: 'trajectory/stepRollouts', step: 99 });
        await c.handle({ type: 'trajectory/stepRollouts', step: Number.MAX_SAFE_INTEGER });
        expect(posted).toEqual([
            { type: 'trajectory/stepRollouts', step: 99, rollouts: null },
            { type: 'trajectory/stepRollouts', step: Number.MAX_SAFE_INTEGER, rollouts: null },
        ]);
    });

    it('hostile requests (non-integer, negative, beyond safe integers, not a number) are dropped by the parser', () => {
        for (const step of [1.5, -1, 2 ** 60, '2', null, NaN, [2]])
            expect(parseTrajectoryToHost({ type: 'trajectory/stepRollouts', step })).toBeUndefined();
        expect(parseTrajectoryToHost({ type: 'trajectory/stepRollouts', step: 3, extra: 'x' })).toEqual({
            type: 'trajectory/stepRollouts',
            step: 3,
        });
    });
});
