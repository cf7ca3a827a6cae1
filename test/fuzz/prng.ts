/** A small seeded PRNG (mulberry32): the same seed replays the same mutants. */
export class Prng {
    private state: number;

    constructor(seed: number) {
        this.state = seed >>> 0;
    }

    /** A float in [0, 1). */
    next(): number {
        this.state = (this.state + 0x6d2b79f5) >>> 0;
        let t = this.state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }

    /** An integer in [0, bound). */
    int(bound: number): number {
        return Math.floor(this.next() * bound);
    }

    pick<T>(items: readonly T[]): T {
        return items[this.int(items.length)]!;
    }
}

/** The seed of mutant `index` of a run: each mutant can be replayed alone. */
export function mutantSeed(runSeed: number, index: number): number {
    return (Math.imul(runSeed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(index + 1, 0xc2b2ae35)) >>> 0;
}
