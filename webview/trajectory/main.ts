import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textarea/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import './trajectory.css';
import type { TrajectoryState, TrajectoryToHost, TrajectoryToView } from '../../protocol/trajectory-messages.js';
import { onThemeChange } from '../common/theme.js';
import { connectToHost, hasTypePrefix } from '../common/vscode-api.js';
import { TrajectoryApp } from './app.js';

/** Entry of the trajectory view (out/webview/trajectory.js). */
function parseState(value: unknown): TrajectoryState | undefined {
    const state = value as Partial<TrajectoryState> | undefined;
    return state?.view === 'trajectory' && typeof state.root === 'string' ? (state as TrajectoryState) : undefined;
}

const root = document.getElementById('app');
if (!root) throw new Error('trajectory view: the page has no #app element');
// The app needs the connection and the connection delivers to the app: messages arrive only after `ready`,
// which is asynchronous, so the app is always set by then.
const view: { app?: TrajectoryApp } = {};
const host = connectToHost<TrajectoryToView, TrajectoryToHost, TrajectoryState>({
    isMessage: hasTypePrefix<TrajectoryToView>('trajectory/'),
    parseState,
    onMessage: (message) => view.app?.handle(message),
});
view.app = new TrajectoryApp(root, host);
onThemeChange(() => view.app?.redraw());
