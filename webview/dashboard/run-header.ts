/**
 * The dashboard's run legend (one row per shown run: its colour, name, credit method, status, steps, a remove button
 * for a comparison run) and the table of the settings that differ between them. Everything from run files is set as
 * text and clipped; the full value is the cell's tooltip.
 */
import type { DashboardSlot } from '../../protocol/webview-messages.js';
import { clip, element } from '../common/dom.js';
import { seriesColour } from '../common/theme.js';
import { configDiff, creditMethod } from './config-diff.js';
import type { RunEntry } from './shown-runs.js';

const MAX_CELL_CHARS = 120;
/** Tooltips carry the full value, up to this much (runConfig already caps values on the host side). */
const MAX_TITLE_CHARS = 2000;

/** One legend row per run, the main run first; `onRemove` for a comparison run's remove button. */
export function runRows(
    entries: readonly RunEntry[],
    names: readonly string[],
    onRemove: (slot: DashboardSlot) => void,
): HTMLElement[] {
    return entries.map((entry, i) => {
        const { info } = entry;
        const primary = info.slot === 'primary';
        const total = info.stepsTotal === null ? '' : ` / ${info.stepsTotal}`;
        const credit = creditMethod(info.config);
        const swatch = element('span', { className: 'run-swatch', attrs: { 'aria-hidden': 'true' } });
        swatch.style.background = seriesColour(entry.colour);
        const remove = element('vscode-button', {
            className: 'remove-run',
            text: 'Remove',
            title: `Stop comparing with ${clip(info.name, 200)}`,
            attrs: { secondary: '' },
        });
        remove.addEventListener('click', () => onRemove(info.slot));
        return element(
            'div',
            { className: `run run-${primary ? 'primary' : 'compare'}`, attrs: { 'data-slot': info.slot } },
            swatch,
            element('span', { className: 'run-kind', text: primary ? 'Run' : 'Compare' }),
            element('span', {
                className: 'run-name',
                text: names[i] ?? '',
                title: clip(`${info.name}\n${info.runDir}`, MAX_TITLE_CHARS),
            }),
            element('span', { className: 'run-credit', text: credit ? `credit: ${clip(credit, 40)}` : '' }),
            element('vscode-badge', { className: `status status-${info.status}`, text: info.status }),
            element('span', { className: 'run-steps', text: `step ${info.stepsCompleted}${total}` }),
            ...(info.error
                ? [
                      element('span', {
                          className: 'run-error',
                          text: clip(info.error, 500),
                          title: clip(info.error, MAX_TITLE_CHARS),
                      }),
                  ]
                : []),
            ...(primary ? [] : [remove]),
        );
    });
}

/**
 * The settings that differ between the shown runs: one row per setting, one column per run (the first thing to
 * check when curves part). Empty with fewer than two runs.
 */
export function diffTable(entries: readonly RunEntry[], names: readonly string[]): HTMLElement[] {
    if (entries.length < 2) return [];
    const { rows, more } = configDiff(entries.map((entry) => entry.info.config));
    if (rows.length === 0) return [element('p', { className: 'hint', text: 'The runs have the same settings.' })];
    const cell = (text: string) =>
        element('td', { text: clip(text, MAX_CELL_CHARS), title: clip(text, MAX_TITLE_CHARS) });
    const heading = (entry: RunEntry, i: number) => {
        const th = element('th', { text: names[i] ?? '', title: clip(entry.info.runDir, MAX_TITLE_CHARS) });
        th.style.borderBottom = `2px solid ${seriesColour(entry.colour)}`;
        return th;
    };
    return [
        element(
            'details',
            { attrs: { open: '' } },
            element('summary', { text: `Settings that differ (${rows.length + more})` }),
            element(
                'table',
                {},
                element('thead', {}, element('tr', {}, element('th', { text: 'setting' }), ...entries.map(heading))),
                element('tbody', {}, ...rows.map((row) => element('tr', {}, cell(row.key), ...row.values.map(cell)))),
            ),
            ...(more > 0 ? [element('p', { className: 'hint', text: `…and ${more} more settings not listed.` })] : []),
        ),
    ];
}
