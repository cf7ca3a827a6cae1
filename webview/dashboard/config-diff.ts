/** What a cell says when a run lacks the setting (an older run.json, a model only one run declares). */
export const MISSING_SETTING = '–';

/** At most this many differing settings are listed: configs come from run.json files, which anyone may write. */
export const MAX_DIFF_ROWS = 300;

/** One setting whose value is not the same in every shown run, with each run's value in run order. */
export interface ConfigDiffRow {
    key: string;
    values: string[];
}

/** The setting's text in a config that came from a message: only a run's own string values count. */
function settingValue(config: Readonly<Record<string, unknown>>, key: string): string {
    const value = Object.prototype.hasOwnProperty.call(config, key) ? config[key] : undefined;
    return typeof value === 'string' ? value : MISSING_SETTING;
}

/**
 * The settings that differ between the runs (one value per run, in the order given), in key order; a key only some
 * runs have counts as differing. At most MAX_DIFF_ROWS rows; `more` counts the rows left out.
 */
export function configDiff(configs: readonly Readonly<Record<string, unknown>>[]): {
    rows: ConfigDiffRow[];
    more: number;
} {
    if (configs.length < 2) return { rows: [], more: 0 };
    const keys = [...new Set(configs.flatMap((config) => Object.keys(config)))].sort();
    const rows: ConfigDiffRow[] = [];
    let more = 0;
    for (const key of keys) {
        const values = configs.map((config) => settingValue(config, key));
        if (values.every((v) => v === values[0])) continue;
        if (rows.length < MAX_DIFF_ROWS) rows.push({ key, values });
        else more++;
    }
    return { rows, more };
}

/** The credit method a run trained with, from its settings (`train.credit.method`), or undefined before run.json. */
export function creditMethod(config: Readonly<Record<string, unknown>>): string | undefined {
    const value = settingValue(config, 'train.credit.method');
    return value === MISSING_SETTING ? undefined : value;
}
