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

const PICK_SLOTS: readonly string[] = ['primary', 'compare'];

/** A slot name the host may have given a run: `primary` or `compare-<n>`. */
export function isDashboardSlot(value: unknown): value is DashboardSlot {
    return typeof value === 'string' && (value === 'primary' || /^compare-[1-9]\d{0,8}$/.test(value));
}

/** At most this many comparison runs come back from a restored state (more than the view can overlay is junk). */
const MAX_RESTORED_COMPARE_RUNS = 32;

/** The largest file the dashboard may ask the host to save (a CSV of a long run is a few MB). */
export const MAX_EXPORT_CHARS = 64 * 1024 * 1024;

/** A suggested file name: a plain base name with the format's extension, whatever the view sent. */
export function exportFileName(name: string, format: 'csv' | 'png'): string {
    const base = name
        .replace(/[^\w.-]+/g, '_')
        .replace(/^\.+/, '')
        .slice(0, 120);
    const stem = base.replace(/\.(csv|png)$/i, '') || 'export';
    return `${stem}.${format}`;
}

/** The message's export, or undefined when it is not a well-formed CSV text or base64 PNG within the size cap. */
function parseExport(message: Record<string, unknown>): DashboardToHost | undefined {
    const { format, name, content } = message;
    if ((format !== 'csv' && format !== 'png') || typeof name !== 'string' || typeof content !== 'string')
        return undefined;
    if (content.length > MAX_EXPORT_CHARS) return undefined;
    if (format === 'png' && !/^[A-Za-z0-9+/]+={0,2}$/.test(content)) return undefined;
    return { type: 'dashboard/export', format, name: exportFileName(name, format), content };
}

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
        case 'dashboard/openTensorBoard':
            return { type: 'dashboard/openTensorBoard' };
        case 'dashboard/openStep': {
            const step = message['step'];
            return typeof step === 'number' && Number.isSafeInteger(step) && step >= 0
                ? { type: 'dashboard/openStep', step }
                : undefined;
        }
        case 'dashboard/export':
            return parseExport(message);
        case 'dashboard/pickRun': {
            const slot = message['slot'];
            return typeof slot === 'string' && PICK_SLOTS.includes(slot)
                ? { type: 'dashboard/pickRun', slot: slot as 'primary' | 'compare' }
                : undefined;
        }
        case 'dashboard/removeRun': {
            const slot = message['slot'];
            return isDashboardSlot(slot) && slot !== 'primary' ? { type: 'dashboard/removeRun', slot } : undefined;
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
    // States saved before several comparison runs hold one `compareRunDir`.
    const compares = Array.isArray(state['compareRunDirs']) ? state['compareRunDirs'] : [state['compareRunDir']];
    const compareRunDirs = [...new Set(compares.map(path).filter((dir): dir is string => dir !== null))].slice(
        0,
        MAX_RESTORED_COMPARE_RUNS,
    );
    return {
        view: 'dashboard',
        primaryRunDir: path(state['primaryRunDir']),
        compareRunDirs,
        hidden,
        smoothing:
            typeof state['smoothing'] === 'number' && state['smoothing'] >= 0 && state['smoothing'] <= 0.99
                ? state['smoothing']
                : 0,
        xAxis: state['xAxis'] === 'time' ? 'time' : 'step',
    };
}

export function parseGraphState(value: unknown): GraphState | undefined {
    const state = record(value);
    return state?.['view'] === 'graph' && typeof state['uri'] === 'string'
        ? { view: 'graph', uri: state['uri'] }
        : undefined;
}
