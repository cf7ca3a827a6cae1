import uPlot from 'uplot';
import { parseCssColour } from '../common/diverging-scale.js';
import { element } from '../common/dom.js';
import { seriesColour, themeColours } from '../common/theme.js';
import { axisValues, STEP_INCREMENTS, valueRange } from './axis-format.js';
import {
    buildChartData,
    seriesSignature,
    type ChartData,
    type ChartDef,
    type ChartOptions,
    type Runs,
} from './charts-model.js';

const CHART_HEIGHT = 180;

/** A theme colour (hex or rgb()) with an alpha, for a band's fill. */
function withAlpha(colour: string, alpha: number): string {
    const [r, g, b] = parseCssColour(colour, [128, 128, 128]);
    return `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * One dashboard chart: a uPlot instance, rebuilt only when its set of series changes (a new criterion,
 * a comparison run), otherwise fed with `setData`. With comparison runs, each run has its colour (charts-model).
 */
export class ChartView {
    readonly root: HTMLElement;
    private readonly plotHost: HTMLElement;
    private readonly empty: HTMLElement;
    private plot: uPlot | undefined;
    private signature = '';
    private xAxis: ChartOptions['xAxis'] = 'step';

    constructor(
        private readonly def: ChartDef,
        private readonly hidden: Set<string>,
        private readonly onHiddenChange: () => void,
        onExportPng: (chart: ChartView) => void,
        private readonly onOpenStep: (step: number) => void = () => undefined,
    ) {
        this.plotHost = element('div', { className: 'plot' });
        this.empty = element('p', { className: 'empty', text: def.emptyText });
        const exportButton = element('vscode-button', {
            className: 'export-png',
            text: 'PNG',
            title: `Save "${def.title}" as a PNG image`,
            attrs: { secondary: '' },
        });
        exportButton.addEventListener('click', () => onExportPng(this));
        this.root = element(
            'section',
            { className: 'chart', attrs: { 'data-chart': def.id } },
            element('div', { className: 'chart-title' }, element('h2', { text: def.title }), exportButton),
            this.empty,
            this.plotHost,
        );
    }

    /** Redraws from the runs; `force` rebuilds the plot (theme, width or axis change). */
    update(runs: Runs, width: number, options: ChartOptions, force = false): void {
        const chart = buildChartData(this.def, runs, options);
        this.xAxis = options.xAxis;
        this.root.dataset['xAxis'] = options.xAxis;
        this.root.dataset['series'] = String(chart.series.length);
        this.root.dataset['points'] = String(chart.data[0].length);
        this.empty.hidden = chart.series.length > 0;
        const signature = `${options.xAxis}:${seriesSignature(chart)}`;
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

    /**
     * The chart as a PNG (base64, no data: prefix) with its title on the theme's background, or undefined when
     * nothing is drawn. The canvas holds only what uPlot painted from numbers: no page content can leak into it.
     */
    png(): string | undefined {
        const source = this.plot?.ctx.canvas;
        if (!source) return undefined;
        const theme = themeColours();
        const titleHeight = 28;
        const canvas = document.createElement('canvas');
        canvas.width = source.width;
        canvas.height = source.height + titleHeight;
        const ctx = canvas.getContext('2d');
        if (!ctx) return undefined;
        ctx.fillStyle = theme.background;
        ctx.fillRect(0, 0, canvas.width, canvas.height);
        ctx.fillStyle = theme.foreground;
        ctx.font = '14px sans-serif';
        ctx.fillText(this.def.title, 8, 19);
        ctx.drawImage(source, 0, titleHeight);
        return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
    }

    get id(): string {
        return this.def.id;
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
                this.xAxis === 'step'
                    ? { ...axis, label: 'step', incrs: [...STEP_INCREMENTS] }
                    : { ...axis, label: 'minutes since the run started' },
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
                    stroke: s.raw ? withAlpha(seriesColour(s.colour), 0.3) : seriesColour(s.colour),
                    width: s.band ? 0 : s.raw ? 1 : 1.5,
                    spanGaps: true,
                    show: !this.hidden.has(this.hiddenKey(s.label)),
                    ...(s.dash ? { dash: s.dash } : {}),
                })),
            ],
            hooks: {
                // A click (not a drag-zoom) on the step axis opens that step's trajectories.
                ready: [
                    (plot) =>
                        plot.over.addEventListener('click', () => {
                            const index = plot.cursor.idx;
                            const step = index === null || index === undefined ? undefined : plot.data[0][index];
                            if (this.xAxis === 'step' && typeof step === 'number') this.onOpenStep(step);
                        }),
                ],
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
