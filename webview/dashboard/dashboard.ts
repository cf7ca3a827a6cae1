import type {
    DashboardRunInfo,
    DashboardSlot,
    DashboardState,
    DashboardToHost,
    DashboardToView,
} from '../../protocol/webview-messages.js';
import { clip, element } from '../common/dom.js';
import type { HostConnection } from '../common/vscode-api.js';
import { ChartView } from './chart-view.js';
import { CHARTS, DEFAULT_CHART_OPTIONS, type ChartOptions, type Runs } from './charts-model.js';
import { configDiff } from './config-diff.js';
import { runsCsv } from './export-csv.js';
import { RunSeries } from './run-series.js';

const MAX_SMOOTHING = 0.99;

const MAX_NOTICES = 20;

/**
 * The dashboard page: run headers with their controls, notices, and one chart per metric group. Records
 * arrive in batches; the charts redraw at most once per animation frame however fast lines are written.
 */
export class Dashboard {
    private readonly runs: Runs = {};
    private readonly infos: Partial<Record<DashboardSlot, DashboardRunInfo>> = {};
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
                    (step) => this.host.post({ type: 'dashboard/openStep', step }),
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
                this.infos[message.run.slot] = message.run;
                this.runs[message.run.slot] = new RunSeries();
                this.renderHeader();
                this.save();
                this.scheduleRedraw();
                break;
            case 'dashboard/status':
                if (!this.runs[message.run.slot]) return;
                this.infos[message.run.slot] = message.run;
                this.renderHeader();
                break;
            case 'dashboard/clear':
                delete this.infos[message.slot];
                delete this.runs[message.slot];
                this.renderHeader();
                this.save();
                this.scheduleRedraw();
                break;
            case 'dashboard/metrics': {
                const run = this.runs[message.slot];
                if (!run) return;
                for (const record of message.records) run.append(record);
                const info = this.infos[message.slot];
                const last = run.steps[run.steps.length - 1];
                if (info && last !== undefined) info.stepsCompleted = Math.max(info.stepsCompleted, last);
                this.headerStale = true;
                this.scheduleRedraw();
                break;
            }
            case 'dashboard/notice':
                this.notice(
                    message.severity,
                    `${message.slot === 'compare' ? 'Comparison run: ' : ''}${message.message}`,
                );
                break;
        }
    }

    /** Redraws every chart now; `force` rebuilds the plots (after a theme change). */
    redraw(force = false): void {
        this.frame = undefined;
        if (this.headerStale) this.renderHeader();
        const width = this.chartWidth();
        for (const chart of this.charts) chart.update(this.runs, width, this.options, force);
        document.body.dataset['renderedSteps'] = String(this.runs.primary?.length ?? 0);
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
            button('Remove Comparison', 'clear-compare', { type: 'dashboard/clearCompare' }),
            button('Open in TensorBoard', 'open-tensorboard', { type: 'dashboard/openTensorBoard' }),
            this.csvButton(),
        );
    }

    private csvButton(): HTMLElement {
        const node = element('vscode-button', { text: 'Export CSV', attrs: { id: 'export-csv', secondary: '' } });
        node.addEventListener('click', () => {
            const names = { primary: this.infos.primary?.name, compare: this.infos.compare?.name };
            const content = runsCsv(this.runs, names);
            const name = `${this.infos.primary?.name ?? 'metrics'}.metrics.csv`;
            this.host.post({ type: 'dashboard/export', format: 'csv', name, content });
        });
        return node;
    }

    private exportPng(chart: ChartView): void {
        const content = chart.png();
        if (!content) {
            this.notice('info', 'That chart has nothing drawn yet.');
            return;
        }
        const name = `${this.infos.primary?.name ?? 'run'}.${chart.id}.png`;
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
        const rows = (['primary', 'compare'] as const).map((slot): HTMLElement | undefined => {
            const info = this.infos[slot];
            if (!info)
                return slot === 'primary'
                    ? element('p', {
                          className: 'hint',
                          text: 'No run open. Start a training run or open a run directory.',
                      })
                    : undefined;
            const total = info.stepsTotal === null ? '' : ` / ${info.stepsTotal}`;
            return element(
                'div',
                { className: `run run-${slot}`, attrs: { 'data-slot': slot } },
                element('span', { className: 'run-kind', text: slot === 'primary' ? 'Run' : 'Compare (dashed)' }),
                element('span', { className: 'run-name', text: clip(info.name, 120), title: info.runDir }),
                element('vscode-badge', { className: `status status-${info.status}`, text: info.status }),
                element('span', { className: 'run-steps', text: `step ${info.stepsCompleted}${total}` }),
                ...(info.error
                    ? [element('span', { className: 'run-error', text: clip(info.error, 500), title: info.error })]
                    : []),
            );
        });
        this.header.replaceChildren(...rows.filter((r): r is HTMLElement => r !== undefined));
        this.renderDiff();
        const clear = document.getElementById('clear-compare');
        if (clear) clear.toggleAttribute('disabled', !this.infos.compare);
    }

    /** What differs between the run and its comparison: the first thing to check when two curves part. */
    private renderDiff(): void {
        const primary = this.infos.primary,
            compare = this.infos.compare;
        if (!primary || !compare) {
            this.diff.replaceChildren();
            return;
        }
        const rows = configDiff(primary.config, compare.config);
        if (rows.length === 0) {
            this.diff.replaceChildren(element('p', { className: 'hint', text: 'Both runs have the same settings.' }));
            return;
        }
        const cell = (text: string) => element('td', { text: clip(text, 200), title: text });
        this.diff.replaceChildren(
            element(
                'details',
                { attrs: { open: '' } },
                element('summary', { text: `Settings that differ (${rows.length})` }),
                element(
                    'table',
                    {},
                    element(
                        'thead',
                        {},
                        element(
                            'tr',
                            {},
                            element('th', { text: 'setting' }),
                            element('th', { text: clip(primary.name, 60) }),
                            element('th', { text: `${clip(compare.name, 60)} (compare)` }),
                        ),
                    ),
                    element(
                        'tbody',
                        {},
                        ...rows.map((r) => element('tr', {}, cell(r.key), cell(r.primary), cell(r.compare))),
                    ),
                ),
            ),
        );
    }

    private notice(severity: string, text: string): void {
        this.notices.prepend(element('li', { className: `notice notice-${severity}`, text: clip(text, 2000) }));
        while (this.notices.children.length > MAX_NOTICES) this.notices.lastElementChild?.remove();
    }

    private save(): void {
        this.host.saveState({
            view: 'dashboard',
            primaryRunDir: this.infos.primary?.runDir ?? null,
            compareRunDir: this.infos.compare?.runDir ?? null,
            hidden: [...this.hidden],
            smoothing: this.options.smoothing,
            xAxis: this.options.xAxis,
        });
    }
}
