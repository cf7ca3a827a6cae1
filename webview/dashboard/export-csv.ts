import type { RunSeries } from './run-series.js';

/**
 * A text cell of the CSV (RFC 4180 quoting). Names come from run files (criteria, agents): a cell a spreadsheet
 * would read as a formula (`=`, `+`, `-`, `@`, tab, CR) gets a leading apostrophe, as OWASP advises for CSV export.
 */
export function csvText(text: string): string {
    const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
    return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvNumber = (value: number | null | undefined): string =>
    value === null || value === undefined || !Number.isFinite(value) ? '' : String(value);

/**
 * Every metric of the shown runs (the main run first, then each comparison run), one row per run and step, as the
 * dashboard holds them (map metrics flattened to `criteria/<name>` columns); an empty cell is a value the step does
 * not have. Columns: run (its name), step, then every column any run has, in first-seen order.
 */
export function runsCsv(runs: readonly { name: string; series: RunSeries }[]): string {
    const keys: string[] = [];
    const seen = new Set<string>();
    for (const { series } of runs)
        for (const key of series.keys())
            if (!seen.has(key)) {
                seen.add(key);
                keys.push(key);
            }
    const lines = [['run', 'step', ...keys].map(csvText).join(',')];
    for (const { name: runName, series: run } of runs) {
        const name = csvText(runName);
        run.steps.forEach((step, i) => {
            lines.push([name, String(step), ...keys.map((key) => csvNumber(run.column(key)?.[i]))].join(','));
        });
    }
    return `${lines.join('\r\n')}\r\n`;
}
