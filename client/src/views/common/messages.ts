import type {
    DashboardSlot,
    DashboardState,
    DashboardToHost,
    GraphState,
    GraphToHost,
} from '../../../../protocol/webview-messages.js';

/**
 * Checks for what comes back from a webview: its messages and the state the serializer restores. A webview
 * renders content from run files and documents, so the host treats both as untrusted input.
 */

const SLOTS: readonly string[] = ['primary', 'compare'];

function record(value: unknown): Record<string, unknown> | undefined {
    return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** The message, or undefined when it is not one the dashboard sends. */
export function parseDashboardToHost(value: unknown): DashboardToHost | undefined {
    const message = record(value);
    switch (message?.['type']) {
        case 'ready':
            return { type: 'ready' };
        case 'dashboard/clearCompare':
            return { type: 'dashboard/clearCompare' };
        case 'dashboard/pickRun': {
            const slot = message['slot'];
            return typeof slot === 'string' && SLOTS.includes(slot)
                ? { type: 'dashboard/pickRun', slot: slot as DashboardSlot }
                : undefined;
        }
        default:
            return undefined;
    }
}

/** The message, or undefined when it is not one the graph view sends. */
export function parseGraphToHost(value: unknown): GraphToHost | undefined {
    const message = record(value);
    switch (message?.['type']) {
        case 'ready':
            return { type: 'ready' };
        case 'graph/reveal': {
            const id = message['id'];
            return typeof id === 'string' && id.length <= 4096 ? { type: 'graph/reveal', id } : undefined;
        }
        default:
            return undefined;
    }
}

/** Restored panel state, or undefined when it is not a well-formed state of that view. */
export function parseDashboardState(value: unknown): DashboardState | undefined {
    const state = record(value);
    if (state?.['view'] !== 'dashboard') return undefined;
    const path = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : null);
    const hidden = Array.isArray(state['hidden'])
        ? state['hidden'].filter((h): h is string => typeof h === 'string')
        : [];
    return {
        view: 'dashboard',
        primaryRunDir: path(state['primaryRunDir']),
        compareRunDir: path(state['compareRunDir']),
        hidden,
    };
}

export function parseGraphState(value: unknown): GraphState | undefined {
    const state = record(value);
    return state?.['view'] === 'graph' && typeof state['uri'] === 'string'
        ? { view: 'graph', uri: state['uri'] }
        : undefined;
}
