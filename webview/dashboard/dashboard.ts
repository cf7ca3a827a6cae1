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
import { CHARTS, type Runs } from './charts-model.js';
import { RunSeries } from './run-series.js';

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
        this.charts = CHARTS.map((def) => new ChartView(def, this.hidden, () => this.save()));
        this.grid.append(...this.charts.map((c) => c.root));
        root.replaceChildren(this.toolbar(), this.header, this.notices, this.grid);
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
        for (const chart of this.charts) chart.update(this.runs, width, force);
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
        const clear = document.getElementById('clear-compare');
        if (clear) clear.toggleAttribute('disabled', !this.infos.compare);
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
        });
    }
}
