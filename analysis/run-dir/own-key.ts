/**
 * `record[key]` only when `key` is the record's own property. Keys that come from files (credit methods, criteria,
 * agents) may be `toString`, `constructor` or `__proto__`: on a plain object those read Object.prototype's members,
 * so every lookup by such a key goes through here (or the object is a Map / null-prototype).
 */
export function ownValue<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
    return Object.hasOwn(record, key) ? record[key] : undefined;
}

/** A null-prototype record, so that assigning any key from a file (even `__proto__`) makes an own property. */
export function keyedRecord<T>(): Record<string, T> {
    return Object.create(null) as Record<string, T>;
}
