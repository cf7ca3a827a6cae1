/**
 * `record[key]` only when `key` is the record's own property. Credit methods and other keys come from run
 * directories: a method named `toString` or `constructor` that a rollout lacks would otherwise read
 * Object.prototype's function (not iterable, no `reduce`) and break the view. Twin of analysis/run-dir/own-key.ts
 * (webviews import nothing outside protocol/ and common/).
 */
export function ownValue<T>(record: Readonly<Record<string, T>> | undefined, key: string): T | undefined {
    return record !== undefined && Object.hasOwn(record, key) ? record[key] : undefined;
}
