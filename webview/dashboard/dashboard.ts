import {
    MAX_COMPARE_RUNS,
    type DashboardSlot,
    type DashboardState,
    type DashboardToHost,
    type DashboardToView,
} from '../../protocol/webview-messages.js';
import { clip, element } from '../common/dom.js';
import type { HostConnection } from '../common/vscode-api.js';
import { ChartView } from './chart-view.js';
import { CHARTS, DEFAULT_CHART_OPTIONS, type ChartOptions } from './charts-model.js';
import { runsCsv } from './export-csv.js';
import { diffTable, runRows } from './run-header.js';
import { ShownRuns } from './shown-runs.js';

const MAX_SMOOTHING = 0.99;

const MAX_NOTICES = 20;

/**
 * The dashboard page: the run legend with its controls, the settings that differ, notices, and one chart per metric
 * group drawing the main run and every comparison run. Records arrive in batches; the charts redraw at most once per
 * animation frame however fast lines are written.
 */
export class Dashboard {
    private readonly runs = new ShownRuns();
    private readonly hidden: Set<string>;
    private readonly charts: ChartView[];
    private readonly header = element('div', { className: 'runs' });
    private readonly diff = element('div', { className: 'config-diff' });
    private readonly options: ChartOptions;
    private readonly notices = element('ul', { className: 'notices', attrs: { 'aria-live': 'polite' } });
    private readonly grid = element('div', { className: 'charts' });
    private frame: number | undefined;
    /** New records moved the step counter: the header is redrawn with the charts, once per frame. */
    private headerStale = false;
    private width = 0;

    constructor(
        root: HTMLElement,
        private readonly host: HostConnection<DashboardToHost, DashboardState>,
    ) {
        const restored = host.restoredState();
        this.hidden = new Set(restored?.hidden ?? []);
        this.options = {
            smoothing: restored?.smoothing ?? DEFAULT_CHART_OPTIONS.smoothing,
            xAxis: restored?.xAxis ?? DEFAULT_CHART_OPTIONS.xAxis,
        };
        this.charts = CHARTS.map(
            (def) =>
                new ChartView(
                    def,
                    this.hidden,
                    () => this.save(),
                    (chart) => this.exportPng(chart),
                    (step) => this.openStep(step),
                ),
        );
        this.grid.append(...this.charts.map((c) => c.root));
        root.replaceChildren(this.toolbar(), this.chartControls(), this.header, this.diff, this.notices, this.grid);
        this.renderHeader();
        new ResizeObserver(() => this.onResize()).observe(this.grid);
    }

    handle(message: DashboardToView): void {
        switch (message.type) {
            case 'dashboard/run':
                this.runs.reset(message.run);
                this.renderHeader();
                this.save();
                this.scheduleRedraw();
                break;
            case 'dashboard/status':
                if (!this.runs.update(message.run)) return;
                this.renderHeader();
                // The credit method names the run in every legend: the charts relabel once run.json is read.
                this.scheduleRedraw();
                break;
            case 'dashboard/clear':
                this.runs.remove(message.slot);
                this.renderHeader();
                this.save();
                this.scheduleRedraw();
                break;
            case 'dashboard/metrics': {
                const entry = this.runs.get(message.slot);
                if (!entry) return;
                const run = entry.series;
                for (const record of message.records) run.append(record);
                const last = run.steps[run.steps.length - 1];
                if (last !== undefined) entry.info.stepsCompleted = Math.max(entry.info.stepsCompleted, last);
                this.headerStale = true;
                this.scheduleRedraw();
                break;
            }
            case 'dashboard/notice': {
                const entry = message.slot === 'primary' ? undefined : this.runs.get(message.slot);
                const prefix = entry ? `Comparison run ${clip(entry.info.name, 60)}: ` : '';
                this.notice(message.severity, `${prefix}${message.message}`);
                break;
            }
        }
    }

    /** Redraws every chart now; `force` rebuilds the plots (after a theme change). */
    redraw(force = false): void {
        this.frame = undefined;
        if (this.headerStale) this.renderHeader();
        const width = this.chartWidth();
        const shown = this.runs.shown();
        for (const chart of this.charts) chart.update(shown, width, this.options, force);
        document.body.dataset['renderedSteps'] = String(this.runs.primary?.series.length ?? 0);
    }

    private scheduleRedraw(): void {
        if (this.frame === undefined) this.frame = requestAnimationFrame(() => this.redraw());
    }

    private chartWidth(): number {
        const section = this.charts[0]?.root;
        return Math.max(240, (section?.clientWidth ?? 480) - 16);
    }

    private onResize(): void {
        const width = this.chartWidth();
        if (width === this.width) return;
        this.width = width;
        for (const chart of this.charts) chart.resize(width);
    }

    private toolbar(): HTMLElement {
        const button = (label: string, id: string, message: DashboardToHost) => {
            const node = element('vscode-button', { text: label, attrs: { id } });
            node.addEventListener('click', () => this.host.post(message));
            return node;
        };
        return element(
            'div',
            { className: 'toolbar' },
            button('Open Run…', 'open-run', { type: 'dashboard/pickRun', slot: 'primary' }),
            button('Compare With…', 'compare-run', { type: 'dashboard/pickRun', slot: 'compare' }),
            button('Remove All Comparisons', 'clear-compare', { type: 'dashboard/clearCompare' }),
            button('Open in TensorBoard', 'open-tensorboard', { type: 'dashboard/openTensorBoard' }),
            this.csvButton(),
        );
    }

    private csvButton(): HTMLElement {
        const node = element('vscode-button', { text: 'Export CSV', attrs: { id: 'export-csv', secondary: '' } });
        node.addEventListener('click', () => {
            const names = this.runs.names();
            const content = runsCsv(this.runs.all().map((entry, i) => ({ name: names[i]!, series: entry.series })));
            const name = `${this.runs.primary?.info.name ?? 'metrics'}.metrics.csv`;
            this.host.post({ type: 'dashboard/export', format: 'csv', name, content });
        });
        return node;
    }

    /**
     * A click on the step axis opens the main run's trajectories there; a step only a comparison run has (the axis
     * is the runs' merged steps) opens nothing, rather than a step the main run never recorded.
     */
    private openStep(step: number): void {
        if (this.runs.primary?.series.steps.includes(step)) this.host.post({ type: 'dashboard/openStep', step });
    }

    private exportPng(chart: ChartView): void {
        const content = chart.png();
        if (!content) {
            this.notice('info', 'That chart has nothing drawn yet.');
            return;
        }
        const name = `${this.runs.primary?.info.name ?? 'run'}.${chart.id}.png`;
        this.host.post({ type: 'dashboard/export', format: 'png', name, content });
    }

    /** Smoothing (as TensorBoard's slider) and the x axis: steps or wall-clock minutes. */
    private chartControls(): HTMLElement {
        const slider = element('input', {
            attrs: {
                id: 'smoothing',
                type: 'range',
                min: '0',
                max: String(MAX_SMOOTHING),
                step: '0.01',
                'aria-label': 'Smoothing',
            },
        });
        slider.value = String(this.options.smoothing);
        const value = element('span', { className: 'smoothing-value', text: this.options.smoothing.toFixed(2) });
        slider.addEventListener('input', () => {
            const weight = Math.min(MAX_SMOOTHING, Math.max(0, Number(slider.value) || 0));
            this.options.smoothing = weight;
            value.textContent = weight.toFixed(2);
            this.save();
            this.scheduleRedraw();
        });
        const axis = element('select', { attrs: { id: 'x-axis', 'aria-label': 'X axis' } });
        axis.append(
            element('option', { text: 'step', attrs: { value: 'step' } }),
            element('option', { text: 'wall clock (minutes)', attrs: { value: 'time' } }),
        );
        axis.value = this.options.xAxis;
        axis.addEventListener('change', () => {
            this.options.xAxis = axis.value === 'time' ? 'time' : 'step';
            this.save();
            this.redraw(true);
        });
        return element(
            'div',
            { className: 'chart-controls' },
            element('label', { text: 'Smoothing ', attrs: { for: 'smoothing' } }),
            slider,
            value,
            element('label', { text: 'X axis ', attrs: { for: 'x-axis' } }),
            axis,
        );
    }

    private renderHeader(): void {
        this.headerStale = false;
        const entries = this.runs.all();
        const names = this.runs.names();
        const rows = runRows(entries, names, (slot: DashboardSlot) =>
            this.host.post({ type: 'dashboard/removeRun', slot }),
        );
        const hint = this.runs.primary
            ? []
            : [element('p', { className: 'hint', text: 'No run open. Start a training run or open a run directory.' })];
        this.header.replaceChildren(...hint, ...rows);
        this.diff.replaceChildren(...diffTable(entries, names));
        const compares = this.runs.compares().length;
        document.getElementById('clear-compare')?.toggleAttribute('disabled', compares === 0);
        const add = document.getElementById('compare-run');
        add?.toggleAttribute('disabled', compares >= MAX_COMPARE_RUNS);
        add?.setAttribute(
            'title',
            compares >= MAX_COMPARE_RUNS ? `At most ${MAX_COMPARE_RUNS} comparison runs` : 'Overlay one more run',
        );
    }

    private notice(severity: string, text: string): void {
        this.notices.prepend(element('li', { className: `notice notice-${severity}`, text: clip(text, 2000) }));
        while (this.notices.children.length > MAX_NOTICES) this.notices.lastElementChild?.remove();
    }

    private save(): void {
        this.host.saveState({
            view: 'dashboard',
            primaryRunDir: this.runs.primary?.info.runDir ?? null,
            compareRunDirs: this.runs.compares().map((entry) => entry.info.runDir),
            hidden: [...this.hidden],
            smoothing: this.options.smoothing,
            xAxis: this.options.xAxis,
        });
    }
}
