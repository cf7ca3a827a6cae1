// The trajectory view opens on the debugger's first stop while it is still loading; a loading view drops messages
// (panel-host's ready handshake), so the controller must send the debugger's position again after `ready`.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunDirService } from '../../analysis/run-dir/service.js';
import { TrajectoryController } from '../../client/src/views/trajectory/controller.js';
import type { TrajectoryToView } from '../../protocol/trajectory-messages.js';

const RUN = resolve('test/fixtures/runs/lazy-team-3steps');

describe('TrajectoryController and the debugger', () => {
    it('re-sends where the debugger stopped after the view reports ready', async () => {
        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({
            reader: new RunDirService(),
            root: RUN,
            post: (m) => posted.push(m),
        });
        await controller.follow(2, 5, 1, true); // posted while the view is loading: dropped by the panel host
        posted.length = 0;
        await controller.handle({ type: 'ready' });
        expect(posted.map((m) => m.type)).toEqual(['trajectory/run', 'trajectory/focus']);
        expect(posted[1]).toEqual({ type: 'trajectory/focus', step: 2, rollout: 5, turn: 1, debugging: true });
    });

    it('sends no debugger position after ready when no debug session moved the view', async () => {
        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({
            reader: new RunDirService(),
            root: RUN,
            post: (m) => posted.push(m),
        });
        await controller.follow(1, 0, 0, false);
        posted.length = 0;
        await controller.handle({ type: 'ready' });
        expect(posted.map((m) => m.type)).toEqual(['trajectory/run']);
    });

    it('says the debugger is gone when its session ends, at the same turn (first-hour bug B13)', async () => {
        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({
            reader: new RunDirService(),
            root: RUN,
            post: (m) => posted.push(m),
        });
        await controller.follow(2, 5, 1, true);
        controller.debugEnded();
        expect(posted.at(-1)).toEqual({ type: 'trajectory/focus', step: 2, rollout: 5, turn: 1, debugging: false });
        posted.length = 0;
        controller.debugEnded(); // nothing more to say
        await controller.handle({ type: 'ready' }); // and a reloaded view is not told a debugger is there
        expect(posted.map((m) => m.type)).toEqual(['trajectory/run']);
    });

    it('opens a step from the dashboard at its first rollout, also when the view is still loading', async () => {
        const posted: TrajectoryToView[] = [];
        const controller = new TrajectoryController({
            reader: new RunDirService(),
            root: RUN,
            post: (m) => posted.push(m),
        });
        await controller.openStep(2);
        const focus = { type: 'trajectory/focus', step: 2, rollout: 0, turn: 0, debugging: false };
        expect(posted).toEqual([focus]);
        posted.length = 0;
        await controller.handle({ type: 'ready' }); // the loading view dropped it: sent again, once
        expect(posted.map((m) => m.type)).toEqual(['trajectory/run', 'trajectory/focus']);
        expect(posted[1]).toEqual(focus);
        posted.length = 0;
        await controller.handle({ type: 'ready' });
        expect(posted.map((m) => m.type)).toEqual(['trajectory/run']);
        await controller.openStep(99);
        expect(posted.at(-1)).toEqual({
            type: 'trajectory/notice',
            severity: 'info',
            message: 'Step 99 has no recorded trajectories in this run.',
        });
    });
});
