/** Percentile of samples in milliseconds (nearest rank). */
export function percentile(samples: number[], p: number): number {
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

/**
 * One measurement: wall-clock time (the figure the targets are about) and the CPU time the process
 * used meanwhile. On a machine shared with other jobs the wall-clock time grows with their load;
 * the CPU time much less, so it is the better figure for comparing two runs.
 */
export interface Measure {
    wall: number;
    cpu: number;
}

/** The measurements of repeated runs. */
export class Samples {
    readonly wall: number[] = [];
    readonly cpu: number[] = [];

    add(measure: Measure): void {
        this.wall.push(measure.wall);
        this.cpu.push(measure.cpu);
    }

    percentile(p: number): Measure {
        return { wall: percentile(this.wall, p), cpu: percentile(this.cpu, p) };
    }
}

export function ms(value: number): string {
    return `${value.toFixed(1)} ms`;
}

/** "met" / "NOT met" for a figure that should be at most `target`. */
export function verdict(value: number, target: number): string {
    return value <= target ? 'met' : 'NOT met';
}

export async function timed(action: () => Promise<unknown>): Promise<Measure> {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    await action();
    const wall = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    return { wall, cpu: (cpu.user + cpu.system) / 1000 };
}
