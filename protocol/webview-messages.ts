import type { GraphModel } from './graph-model.js';
import type { MetricsRecord, RunJson } from './run-dir.js';

/**
 * Messages between the extension host and its webviews (DESIGN.md §6). Every view starts by posting
 * `ready` once its listener is installed; the host sends nothing before that, then sends the whole state,
 * so a reloaded or re-shown view rebuilds from messages alone. Data never travels inside the HTML.
 * The host treats every message from a webview as untrusted input and checks it (client/src/views/common/messages.ts).
 */

/** Posted by every view when it can receive messages. */
export interface ReadyMessage {
    type: 'ready';
}

// ---- Training dashboard ------------------------------------------------------------------------------

/**
 * The main run, or one of the runs overlaid for comparison (`compare-1`, `compare-2`…: the host numbers them as they
 * are added and never reuses a number while the panel lives, so a late message for a removed run matches nothing).
 */
export type DashboardSlot = 'primary' | `compare-${number}`;

/** At most this many comparison runs are overlaid at once (the palette has 8 colours; past 7 the lines get crowded). */
export const MAX_COMPARE_RUNS = 7;

export interface DashboardRunInfo {
    slot: DashboardSlot;
    /** A short display name (the run directory's base name). */
    name: string;
    runDir: string;
    status: RunJson['status'] | 'unknown';
    stepsCompleted: number;
    stepsTotal: number | null;
    error: string | null;
    /**
     * The run's settings as `name -> value` text (`train.lr`, `train.credit`, `model.base.adapter`…), from run.json's
     * spec, so the view can list what differs between the run and its comparison. Empty before run.json is read.
     */
    config: Record<string, string>;
}

export type DashboardToView =
    /** Forget the records of a slot (new run, file truncated by a resume) and show this run in it. */
    | { type: 'dashboard/run'; run: DashboardRunInfo }
    /** The run's status changed (run.json rewritten); the records shown stay. */
    | { type: 'dashboard/status'; run: DashboardRunInfo }
    /** The slot has no run any more. */
    | { type: 'dashboard/clear'; slot: DashboardSlot }
    /** Records appended to the slot's metrics.jsonl since the last message, in file order. */
    | { type: 'dashboard/metrics'; slot: DashboardSlot; records: MetricsRecord[] }
    /** Something the user should know about (a corrupt line, a deleted run directory); shown as text. */
    | { type: 'dashboard/notice'; slot: DashboardSlot; severity: 'info' | 'warning' | 'error'; message: string };

export type DashboardToHost =
    | ReadyMessage
    /** The user wants to pick the main run (`primary`) or one more comparison run (`compare`). */
    | { type: 'dashboard/pickRun'; slot: 'primary' | 'compare' }
    /** The user removed every comparison run. */
    | { type: 'dashboard/clearCompare' }
    /** The user removed one comparison run. */
    | { type: 'dashboard/removeRun'; slot: DashboardSlot }
    /**
     * Save a file the view made: the metrics as CSV (text) or a chart as PNG (base64). The host asks where, checks
     * the content (size, PNG signature) and writes only where the user chose.
     */
    | { type: 'dashboard/export'; format: 'csv' | 'png'; name: string; content: string }
    /** Open the primary run's TensorBoard event files in TensorBoard. */
    | { type: 'dashboard/openTensorBoard' }
    /** The user clicked a chart at this step (step axis): open the run's trajectories there. */
    | { type: 'dashboard/openStep'; step: number };

/** What the dashboard keeps in `setState` so the panel serializer can restore it after a reload. */
export interface DashboardState {
    view: 'dashboard';
    primaryRunDir: string | null;
    /** The comparison runs in the order they were added. (States saved before several runs had `compareRunDir`.) */
    compareRunDirs: string[];
    /** Series labels the user has hidden. */
    hidden: string[];
    /** EMA smoothing weight of the lines, 0 (none) to 0.99; absent: 0. */
    smoothing?: number;
    /** Absent: step. */
    xAxis?: 'step' | 'time';
}

// ---- Workflow graph view -----------------------------------------------------------------------------

export type GraphToView =
    | { type: 'graph/model'; model: GraphModel }
    /** No model to draw (document closed, server not running); the reason is shown as text. */
    | { type: 'graph/unavailable'; reason: string };

export type GraphToHost =
    | ReadyMessage
    /** The user clicked a node or edge: reveal its declaration. The host looks the id up in its own model. */
    | { type: 'graph/reveal'; id: string };

export interface GraphState {
    view: 'graph';
    /** The document the view follows. */
    uri: string;
}
