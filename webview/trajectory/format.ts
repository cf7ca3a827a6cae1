/** Number formatting shared by the trajectory view's tables. */
export function fmt(value: number | null | undefined, digits = 3): string {
    if (value === null || value === undefined || Number.isNaN(value)) return '–';
    return value.toFixed(digits);
}

/** Splits text into display lines of at most `width` characters (hard wrap), so rows have a fixed height. */
export function displayLines(text: string, width = 160): string[] {
    const out: string[] = [];
    for (const line of text.split('\n')) {
        if (line.length <= width) out.push(line);
        else for (let i = 0; i < line.length; i += width) out.push(line.slice(i, i + width));
    }
    return out;
}
