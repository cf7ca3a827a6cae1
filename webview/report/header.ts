import uPlot from 'uplot';
import type { ReportData, ReportMetric } from '../../protocol/report-data.js';
import { element } from '../common/dom.js';
import { seriesColour, themeColours } from '../common/theme.js';
import { STEP_INCREMENTS } from '../dashboard/axis-format.js';

const CHART_WIDTH = 420;
const CHART_HEIGHT = 160;

const when = (seconds: number): string =>
    Number.isFinite(seconds) && seconds > 0
        ? new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 16)
        : '–';

const num = (value: number | null | undefined, digits = 3): string =>
    value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(digits);

function duration(start: number, end: number): string {
    const s = Math.max(0, Math.round(end - start));
    if (!Number.isFinite(s)) return '–';
    const h = Math.floor(s / 3600),
        m = Math.floor((s % 3600) / 60);
    return h > 0 ? `${h} h ${m} min` : m > 0 ? `${m} min ${s % 60} s` : `${s} s`;
}

/** The facts a reader looks for first: what ran, with which credit, when, and how it ended. */
function facts(data: ReportData): HTMLElement {
    const h = data.header;
    const rows: [string, string][] = [
        ['status', h.stoppedEarly ? `${h.status} (stop_when: ${h.stoppedEarly})` : h.status],
        ['credit', h.credit],
        ['steps', `${h.stepsCompleted} / ${h.stepsTotal}`],
        [
            'final reward',
            h.final ? `${num(h.final.reward)} at step ${h.final.step} (success ${num(h.final.success, 2)})` : '–',
        ],
        ['best reward', h.best ? `${num(h.best.reward)} at step ${h.best.step}` : '–'],
        ['agents', data.run.agents.join(', ')],
        ['started', when(h.startedAt)],
        ['last update', `${when(h.updatedAt)} (${duration(h.startedAt, h.updatedAt)})`],
        ['device', h.device],
    ];
    return element(
        'dl',
        { className: 'report-facts' },
        ...rows.flatMap(([k, v]) => [element('dt', { text: k }), element('dd', { text: v })]),
    );
}

/** One curve over the run's steps; nulls (a diverged step) are gaps. */
function chart(
    title: string,
    metrics: readonly ReportMetric[],
    pick: (m: ReportMetric) => number | null,
    colour: number,
    range?: [number, number],
) {
    const host = element('div', { className: 'report-chart', attrs: { 'data-chart': title } });
    const section = element('section', {}, element('h3', { text: title }), host);
    if (metrics.length === 0) {
        host.append(element('p', { className: 'hint', text: 'no steps recorded' }));
        return section;
    }
    const theme = themeColours();
    const axis: uPlot.Axis = { stroke: theme.foreground, grid: { stroke: theme.grid, width: 1 } };
    const data: uPlot.AlignedData = [metrics.map((m) => m.step), metrics.map(pick)];
    new uPlot(
        {
            width: CHART_WIDTH,
            height: CHART_HEIGHT,
            legend: { show: false },
            // A rate keeps its 0–1 range even when constant (uPlot would otherwise invent one around the value).
            scales: { x: { time: false }, ...(range ? { y: { range } } : {}) },
            axes: [{ ...axis, label: 'step', incrs: [...STEP_INCREMENTS] }, axis],
            series: [{}, { label: title, stroke: seriesColour(colour), width: 1.5, spanGaps: false }],
        },
        data,
        host,
    );
    return section;
}

/** The `.mas` source, folded; or why it is not in this report. */
function source(data: ReportData): HTMLElement {
    const s = data.source;
    const body =
        'text' in s
            ? [
                  ...(s.note ? [element('p', { className: 'hint', text: s.note })] : []),
                  element('pre', { className: 'report-source', text: s.text }),
              ]
            : [element('p', { className: 'hint', text: `Not included: ${s.omitted}.` })];
    return element('details', {}, element('summary', { text: `Workflow source (${s.file})` }), ...body);
}

/**
 * The report's title block above the trajectory view: workflow and facts, reward and success curves over the whole
 * run, the source. Built with DOM calls only: every value comes from a run directory and is set as text.
 */
export function reportHeader(data: ReportData): HTMLElement {
    const tokensNote = data.tokens
        ? []
        : [
              element('p', {
                  className: 'hint',
                  text: 'Token ids and log-probabilities are left out of this report (write it with `mas report --tokens` to include them).',
              }),
          ];
    return element(
        'header',
        { className: 'report-header' },
        element('h1', { text: `${data.header.workflow} — ${data.run.name}` }),
        facts(data),
        element(
            'div',
            { className: 'report-charts' },
            chart('mean reward', data.metrics, (m) => m.reward, 0),
            chart('success', data.metrics, (m) => m.success, 2, [0, 1]),
        ),
        source(data),
        ...tokensNote,
    );
}
