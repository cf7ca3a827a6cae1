/**
 * The webview side of the host connection: a typed wrapper over `acquireVsCodeApi()` (which VS Code allows
 * to be called once per page load) plus the ready handshake: the host sends nothing until it gets `ready`,
 * which is posted only after the message listener is installed, so no message can be lost.
 */

interface VsCodeApi {
    postMessage(message: unknown): void;
    getState(): unknown;
    setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export interface HostConnection<ToHost, State> {
    post(message: ToHost): void;
    /** The state saved by `saveState` before the last reload, checked by the view's own parser. */
    restoredState(): State | undefined;
    saveState(state: State): void;
}

/**
 * Connects the view: installs `onMessage` for messages of the view's own types (others are ignored, so a
 * stray message cannot crash it) and then posts `ready`.
 */
export function connectToHost<ToView extends { type: string }, ToHost, State>(options: {
    isMessage: (value: unknown) => value is ToView;
    parseState: (value: unknown) => State | undefined;
    onMessage: (message: ToView) => void;
}): HostConnection<ToHost, State> {
    const api = acquireVsCodeApi();
    window.addEventListener('message', (event: MessageEvent<unknown>) => {
        if (options.isMessage(event.data)) options.onMessage(event.data);
    });
    api.postMessage({ type: 'ready' });
    return {
        post: (message) => api.postMessage(message),
        restoredState: () => options.parseState(api.getState()),
        saveState: (state) => api.setState(state),
    };
}

/** A type guard for `{ type: <one of prefix...> }` messages. */
export function hasTypePrefix<T extends { type: string }>(prefix: string): (value: unknown) => value is T {
    return (value: unknown): value is T =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as { type?: unknown }).type === 'string' &&
        (value as { type: string }).type.startsWith(prefix);
}
