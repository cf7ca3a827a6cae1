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

/**
 * `record[key] = value` as an own data property, `__proto__` included (plain assignment of that key would replace the
 * prototype instead). For the many small records of an index, where a null-prototype object would be a slower
 * dictionary-mode one; read them back with ownValue / Object.keys.
 */
export function setOwn<T>(record: Record<string, T>, key: string, value: T): void {
    if (key === '__proto__')
        Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true });
    else record[key] = value;
}
