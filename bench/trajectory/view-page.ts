/** Browser side of the view benchmark: exposes the measurements on window for view-bench.ts. */
import { HeatmapCanvas } from '../../webview/common/heatmap-canvas.js';
import { Timeline } from '../../webview/trajectory/timeline.js';
import type { TrajectoryRecord } from '../../protocol/run-dir.js';

function heatmapBench(rows: number, cols: number): { first: number; redraws: number[] } {
    const values = new Float64Array(rows * cols);
    for (let i = 0; i < values.length; i++) values[i] = Math.sin(i * 0.001) * ((i % 7) - 3);
    const heatmap = new HeatmapCanvas({ height: 600 });
    document.body.append(heatmap.element);
    const t0 = performance.now();
    heatmap.setData({
        rows: Array.from({ length: rows }, (_, i) => `agent ${i}`),
        columns: Array.from({ length: cols }, (_, i) => String(i)),
        values,
        extent: 3,
    });
    heatmap.element.querySelector('canvas')!.getContext('2d')!.getImageData(0, 0, 1, 1); // wait for the draw to finish
    const first = performance.now() - t0;
    const canvas = heatmap.element.querySelector('canvas')!;
    const redraws: number[] = [];
    for (let k = 0; k < 60; k++) {
        const t = performance.now();
        canvas.dispatchEvent(
            new WheelEvent('wheel', { deltaY: k < 30 ? -100 : 100, clientX: 400, clientY: 300, cancelable: true }),
        );
        canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
        redraws.push(performance.now() - t);
    }
    heatmap.element.remove();
    return { first, redraws };
}

function timelineBench(turns: number, chars: number): { first: number } {
    const record = {
        step: 1,
        rollout: 0,
        decision_turns: Array.from({ length: turns }, (_, i) => i),
        credit: { outcome: Array.from({ length: turns }, (_, i) => Math.sin(i)) },
        turns: Array.from({ length: turns }, (_, i) => ({
            index: i,
            agent: `agent${i % 4}`,
            role: 'R',
            output: 'y'.repeat(chars),
            token_ids: [1],
            logprobs: [-1],
            nulled: false,
        })),
    } as unknown as TrajectoryRecord;
    const timeline = new Timeline(() => undefined);
    timeline.element.style.height = '600px';
    timeline.element.style.overflowY = 'auto';
    document.body.append(timeline.element);
    const t0 = performance.now();
    timeline.setRollout(record, 'outcome');
    void timeline.element.offsetHeight; // force layout
    return { first: performance.now() - t0 };
}

const w = window as unknown as Record<string, unknown>;
w['__heatmapBench'] = heatmapBench;
w['__timelineBench'] = timelineBench;
w['__scrollTimeline'] = async (steps: number) => {
    const list = document.querySelector('.timeline') as HTMLElement;
    for (let k = 0; k < steps; k++) {
        list.scrollTop += 2400;
        await new Promise(requestAnimationFrame);
    }
    return list.querySelectorAll('.turn-row').length;
};
