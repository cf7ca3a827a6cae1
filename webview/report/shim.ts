import 'uplot/dist/uPlot.min.css';
import './report.css';
import {
    REPORT_DATA_ELEMENT,
    REPORT_DATA_VERSION,
    type EncodedGrid,
    type EncodedRolloutView,
    type ReportData,
    type ReportStep,
} from '../../protocol/report-data.js';
import type {
    HeatmapGrid,
    RolloutView,
    RunHeads,
    RunSummary,
    TrajectoryToHost,
    TrajectoryToView,
} from '../../protocol/trajectory-messages.js';
import { ownValue } from '../common/own-key.js';
import { reportHeader } from './header.js';

/**
 * Stands in for `acquireVsCodeApi` in a `mas report` page (out/webview/report-shim.js, inlined before the view):
 * it reads the run's data from the page's inert JSON element and answers the view's messages exactly as the
 * extension host's TrajectoryController would, by posting TrajectoryToView messages to the window.
 */

const decodeGrid = (grid: EncodedGrid): HeatmapGrid => ({
    ...grid,
    values: Float64Array.from(grid.values, (v) => (v === null ? NaN : v)),
});

/**
 * The open message the host would send (step heads, the latest step's rollouts) from the report's embedded summary;
 * the view asks for the other steps' rollouts as it would in VS Code.
 */
function runHeads(run: RunSummary): RunHeads {
    const { steps, ...fields } = run;
    const latest = steps
        .filter((s) => s.rollouts.length > 0)
        .reduce<(typeof steps)[number] | undefined>((a, s) => (a && a.step > s.step ? a : s), undefined);
    return {
        ...fields,
        steps: steps.map((s) => ({
            step: s.step,
            rolloutCount: s.rollouts.length,
            meanReward: s.meanReward,
            successRate: s.successRate,
        })),
        opened: latest ? { step: latest.step, rollouts: latest.rollouts } : null,
    };
}

function decodeRollout(view: EncodedRolloutView, step: ReportStep): RolloutView {
    const heatmaps = Object.fromEntries(Object.entries(view.heatmaps).map(([m, g]) => [m, decodeGrid(g)]));
    const rubric = view.rubric && {
        name: view.rubric.name,
        criteria: view.rubric.criteria.map((c) => ({ ...c, weight: c.weight ?? NaN })),
    };
    return { ...view, heatmaps, rubric, agreement: step.agreement };
}

function readData(): ReportData | string {
    const text = document.getElementById(REPORT_DATA_ELEMENT)?.textContent;
    if (!text) return 'This report has no embedded run data; write it again with `mas report <run-dir>`.';
    try {
        const data = JSON.parse(text) as ReportData;
        if (data.version !== REPORT_DATA_VERSION)
            return `This report's data is version ${String(data.version)}; this page reads version ${REPORT_DATA_VERSION}.`;
        return data;
    } catch (error) {
        return `This report's data cannot be read (${(error as Error).message}); write it again with \`mas report <run-dir>\`.`;
    }
}

function answer(
    data: ReportData | string,
    steps: Map<number, ReportStep>,
    message: TrajectoryToHost,
): TrajectoryToView | undefined {
    const notice = (severity: 'info' | 'error', text: string): TrajectoryToView => ({
        type: 'trajectory/notice',
        severity,
        message: text,
    });
    if (typeof data === 'string') return message.type === 'ready' ? notice('error', data) : undefined;
    const step = 'step' in message ? steps.get(message.step) : undefined;
    switch (message.type) {
        case 'ready':
            return { type: 'trajectory/run', run: runHeads(data.run) };
        case 'trajectory/openRollout': {
            const view = step?.rollouts.find((r) => r.record.rollout === message.rollout);
            return view && step
                ? { type: 'trajectory/rollout', view: decodeRollout(view, step) }
                : notice('error', `Step ${message.step}, rollout ${message.rollout} is not in this report.`);
        }
        case 'trajectory/openGroup': {
            const view = step?.groups.find((g) => g.group === message.group);
            return view ? { type: 'trajectory/group', view } : undefined;
        }
        case 'trajectory/stepHeatmap': {
            const grid = ownValue(step?.heatmaps, message.method);
            return grid
                ? { type: 'trajectory/stepHeatmap', step: message.step, method: message.method, grid: decodeGrid(grid) }
                : undefined;
        }
        case 'trajectory/focusTurn':
            return undefined;
        case 'trajectory/stepRollouts': {
            // The report embeds every step's rollouts in its run summary: answered from there, as the host would.
            const summary = data.run.steps.find((s) => s.step === message.step);
            return { type: 'trajectory/stepRollouts', step: message.step, rollouts: summary?.rollouts ?? null };
        }
        case 'trajectory/whatIf':
        case 'trajectory/rescore':
        case 'trajectory/debugRollout':
            return notice('info', data.staticNote);
    }
}

function followColourScheme(): void {
    const themeClass = matchMedia('(prefers-color-scheme: light)').matches ? 'vscode-light' : 'vscode-dark';
    document.body.classList.remove('vscode-light', 'vscode-dark');
    // The view redraws its canvases when the body's theme class changes, as in VS Code.
    document.body.classList.add(themeClass);
}

function install(): void {
    const data = readData();
    const steps = new Map(typeof data === 'string' ? [] : data.steps.map((s) => [s.step, s]));
    let state: unknown;
    let acquired = false;
    const w = window as unknown as { acquireVsCodeApi: () => unknown };
    w.acquireVsCodeApi = () => {
        if (acquired) throw new Error('acquireVsCodeApi may be called once per page, as in VS Code.');
        acquired = true;
        return {
            postMessage: (message: TrajectoryToHost) => {
                if (message.type === 'ready' && document.body) {
                    followColourScheme();
                    // The title block goes above the view once the body (and its theme class) exists.
                    if (typeof data !== 'string' && !document.querySelector('.report-header'))
                        document.body.prepend(reportHeader(data));
                    matchMedia('(prefers-color-scheme: light)').addEventListener('change', followColourScheme);
                }
                const reply = answer(data, steps, message);
                // Delivered later, as a message event, like the extension host's replies.
                if (reply) window.postMessage(reply, '*');
            },
            getState: () => state,
            setState: (next: unknown) => {
                state = next;
            },
        };
    };
}

install();
