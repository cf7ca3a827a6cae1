/** One setting whose value differs between the run and its comparison ('–' where a run lacks it). */
export interface ConfigDiffRow {
    key: string;
    primary: string;
    compare: string;
}

/** The settings that differ, in key order; keys only one run has count as differing. */
export function configDiff(primary: Record<string, string>, compare: Record<string, string>): ConfigDiffRow[] {
    const keys = [...new Set([...Object.keys(primary), ...Object.keys(compare)])].sort();
    const value = (config: Record<string, string>, key: string) =>
        Object.prototype.hasOwnProperty.call(config, key) ? config[key]! : '–';
    return keys
        .filter((key) => value(primary, key) !== value(compare, key))
        .map((key) => ({ key, primary: value(primary, key), compare: value(compare, key) }));
}
