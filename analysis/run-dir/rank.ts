/** Average ranks (1-based), ties sharing the mean of their positions, as Spearman's rho needs. */
export function ranks(values: readonly number[]): number[] {
    const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
    const out = new Array<number>(values.length);
    for (let start = 0; start < order.length;) {
        let end = start;
        while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
        const rank = (start + end) / 2 + 1;
        for (let k = start; k <= end; k++) out[order[k]![1]] = rank;
        start = end + 1;
    }
    return out;
}

/** Pearson correlation of two equally long series; null when either is constant or shorter than 2. */
export function pearson(a: readonly number[], b: readonly number[]): number | null {
    const n = a.length;
    if (n < 2 || b.length !== n) return null;
    const meanA = a.reduce((s, v) => s + v, 0) / n;
    const meanB = b.reduce((s, v) => s + v, 0) / n;
    let cov = 0,
        varA = 0,
        varB = 0;
    for (let i = 0; i < n; i++) {
        const da = a[i]! - meanA,
            db = b[i]! - meanB;
        cov += da * db;
        varA += da * da;
        varB += db * db;
    }
    if (varA === 0 || varB === 0) return null;
    return cov / Math.sqrt(varA * varB);
}

/** Spearman's rank correlation (Pearson over average ranks): how far two estimators order decisions alike. */
export function spearman(a: readonly number[], b: readonly number[]): number | null {
    return pearson(ranks(a), ranks(b));
}
