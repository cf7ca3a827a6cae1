import './graph.css';
import type { GraphState, GraphToHost, GraphToView } from '../../protocol/webview-messages.js';
import { connectToHost, hasTypePrefix } from '../common/vscode-api.js';
import { GraphView } from './graph-view.js';

/** Entry of the workflow graph webview (out/webview/graph.js). */
function parseState(value: unknown): GraphState | undefined {
    const state = value as Partial<GraphState> | undefined;
    return state?.view === 'graph' && typeof state.uri === 'string' ? (state as GraphState) : undefined;
}

const root = document.getElementById('app');
if (!root) throw new Error('graph view: the page has no #app element');
// Messages are events, dispatched after this script has run, so `view` is initialised before the first one.
const host = connectToHost<GraphToView, GraphToHost, GraphState>({
    isMessage: hasTypePrefix<GraphToView>('graph/'),
    parseState,
    onMessage: (message) => void view.handle(message),
});
const view = new GraphView(root, host);
