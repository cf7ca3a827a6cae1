import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-badge/index.js';
import 'uplot/dist/uPlot.min.css';
import './dashboard.css';
import type { DashboardState, DashboardToHost, DashboardToView } from '../../protocol/webview-messages.js';
import { connectToHost, hasTypePrefix } from '../common/vscode-api.js';
import { onThemeChange } from '../common/theme.js';
import { Dashboard } from './dashboard.js';

/** Entry of the training dashboard webview (out/webview/dashboard.js). */
function parseState(value: unknown): DashboardState | undefined {
    const state = value as Partial<DashboardState> | undefined;
    if (state?.view !== 'dashboard') return undefined;
    const path = (v: unknown) => (typeof v === 'string' ? v : null);
    const hidden = Array.isArray(state.hidden) ? state.hidden.filter((h): h is string => typeof h === 'string') : [];
    return {
        view: 'dashboard',
        primaryRunDir: path(state.primaryRunDir),
        compareRunDirs: Array.isArray(state.compareRunDirs)
            ? state.compareRunDirs.filter((d): d is string => typeof d === 'string')
            : [],
        hidden,
        smoothing:
            typeof state.smoothing === 'number' && state.smoothing >= 0 && state.smoothing <= 0.99
                ? state.smoothing
                : 0,
        xAxis: state.xAxis === 'time' ? 'time' : 'step',
    };
}

const root = document.getElementById('app');
if (!root) throw new Error('dashboard: the page has no #app element');
// Messages are events, dispatched after this script has run, so `dashboard` is initialised before the first one.
const host = connectToHost<DashboardToView, DashboardToHost, DashboardState>({
    isMessage: hasTypePrefix<DashboardToView>('dashboard/'),
    parseState,
    onMessage: (message) => dashboard.handle(message),
});
const dashboard = new Dashboard(root, host);
onThemeChange(() => dashboard.redraw(true));
