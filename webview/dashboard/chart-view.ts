import uPlot from 'uplot';
import { parseCssColour } from '../common/diverging-scale.js';
import { element } from '../common/dom.js';
import { seriesColour, themeColours } from '../common/theme.js';
import { axisValues, STEP_INCREMENTS, valueRange } from './axis-format.js';
import { buildChartData, seriesSignature, type ChartData, type ChartDef, type Runs } from './charts-model.js';

const CHART_HEIGHT = 180;

/** A theme colour (hex or rgb()) with an alpha, for a band's fill. */
function withAlpha(colour: string, alpha: number): string {
    const [r, g, b] = parseCssColour(colour, [128, 128, 128]);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * One dashboard chart: a uPlot instance, rebuilt only when its set of series changes (a new criterion,
 * a comparison run), otherwise fed with `setData`. Comparison series are dashed in the primary's colour.
 */
export class ChartView {
    readonly root: HTMLElement;
    private readonly plotHost: HTMLElement;
    private readonly empty: HTMLElement;
    private plot: uPlot | undefined;
    private signature = '';

    constructor(
        private readonly def: ChartDef,
        private readonly hidden: Set<string>,
        private readonly onHiddenChange: () => void,
    ) {
        this.plotHost = element('div', { className: 'plot' });
        this.empty = element('p', { className: 'empty', text: def.emptyText });
        this.root = element(
            'section',
            { className: 'chart', attrs: { 'data-chart': def.id } },
            element('h2', { text: def.title }),
            this.empty,
            this.plotHost,
        );
    }

    /** Redraws from the runs; `force` rebuilds the plot (theme or width change). */
    update(runs: Runs, width: number, force = false): void {
        const chart = buildChartData(this.def, runs);
        this.root.dataset['series'] = String(chart.series.length);
        this.root.dataset['points'] = String(chart.data[0].length);
        this.empty.hidden = chart.series.length > 0;
        const signature = seriesSignature(chart);
        if (chart.series.length === 0) {
            this.destroy();
            return;
        }
        if (!this.plot || force || signature !== this.signature) {
            this.destroy();
            this.plot = new uPlot(this.options(chart, width), chart.data, this.plotHost);
            this.signature = signature;
        } else {
            this.plot.setData(chart.data);
        }
    }

    resize(width: number): void {
        this.plot?.setSize({ width, height: CHART_HEIGHT });
    }

    destroy(): void {
        this.plot?.destroy();
        this.plot = undefined;
        this.signature = '';
    }

    private hiddenKey(label: string): string {
        return `${this.def.id}:${label}`;
    }

    private options(chart: ChartData, width: number): uPlot.Options {
        const theme = themeColours();
        const axis: uPlot.Axis = {
            stroke: theme.foreground,
            grid: { stroke: theme.grid, width: 1 },
            ticks: { stroke: theme.grid, width: 1 },
        };
        return {
            width,
            height: CHART_HEIGHT,
            legend: { live: true },
            cursor: { drag: { x: true, y: false } },
            scales: { x: { time: false }, y: { range: valueRange } },
            axes: [
                { ...axis, label: 'step', incrs: [...STEP_INCREMENTS] },
                { ...axis, values: axisValues(navigator.language) },
            ],
            // A std band: the area between its two edges, in the mean's colour, faint (the edges draw no line).
            bands: chart.bands.map(([upper, lower]) => ({
                series: [upper, lower],
                fill: withAlpha(seriesColour(chart.series[upper - 1]!.colour), 0.18),
            })),
            series: [
                { label: 'step' },
                ...chart.series.map((s): uPlot.Series => ({
                    label: s.label,
                    stroke: seriesColour(s.colour),
                    width: s.band ? 0 : 1.5,
                    spanGaps: true,
                    show: !this.hidden.has(this.hiddenKey(s.label)),
                    ...(s.slot === 'compare' ? { dash: [6, 4] } : {}),
                })),
            ],
            hooks: {
                setSeries: [
                    (plot, index) => {
                        if (index === null) return;
                        const series = plot.series[index];
                        if (!series || typeof series.label !== 'string') return;
                        const key = this.hiddenKey(series.label);
                        if (series.show) this.hidden.delete(key);
                        else this.hidden.add(key);
                        this.onHiddenChange();
                    },
                ],
            },
        };
    }
}
