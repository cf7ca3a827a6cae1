/** Percentile of samples in milliseconds (nearest rank). */
export function percentile(samples: number[], p: number): number {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

export function ms(value: number): string {
    return `${value.toFixed(1)} ms`;
}

/** "met" / "NOT met" for a figure that should be at most `target`. */
export function verdict(value: number, target: number): string {
    return value <= target ? 'met' : 'NOT met';
}

export async function timed(action: () => Promise<unknown>): Promise<number> {
    const started = performance.now();
    await action();
    return performance.now() - started;
}
