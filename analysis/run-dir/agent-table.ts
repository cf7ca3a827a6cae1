import { MAX_AGENTS_PER_RUN } from './limits.js';

/**
 * The run's agents in row order (declared in run.json first, then those only seen in records, in the order met),
 * each with its index, capped at MAX_AGENTS_PER_RUN. Aggregates are keyed by these indexes, so a run's tables never
 * have more rows than the cap.
 */
export class AgentTable {
    private readonly indexOf = new Map<string, number>();
    private readonly names: string[] = [];

    constructor(declared: readonly string[]) {
        for (const name of declared) this.add(name);
    }

    get size(): number {
        return this.names.length;
    }

    /** The agents in row order (a copy). */
    rows(): string[] {
        return [...this.names];
    }

    index(name: string): number | undefined {
        return this.indexOf.get(name);
    }

    /** How many agents the run would have with these added (the table is unchanged). */
    sizeWith(agents: readonly string[]): number {
        let fresh: Set<string> | undefined;
        for (const name of agents) if (!this.indexOf.has(name)) (fresh ??= new Set()).add(name);
        return this.names.length + (fresh?.size ?? 0);
    }

    /**
     * Adds the agents of one rollout, all or none: undefined when they fit, else a sentence naming how many distinct
     * agents the run would have and the cap (the rollout is then left out; the table is unchanged).
     */
    admit(agents: readonly string[]): string | undefined {
        // Most rollouts name only known agents: no allocation for them.
        let first = 0;
        while (first < agents.length && this.indexOf.has(agents[first]!)) first++;
        if (first === agents.length) return undefined;
        const fresh = new Set<string>();
        for (let i = first; i < agents.length; i++) if (!this.indexOf.has(agents[i]!)) fresh.add(agents[i]!);
        const total = this.names.length + fresh.size;
        if (total > MAX_AGENTS_PER_RUN) {
            return `the run would name ${total.toLocaleString('en-US')} distinct agents, more than the ${MAX_AGENTS_PER_RUN} a run may have (MAX_AGENTS_PER_RUN)`;
        }
        for (const name of fresh) this.add(name);
        return undefined;
    }

    private add(name: string): void {
        if (this.indexOf.has(name) || this.names.length >= MAX_AGENTS_PER_RUN) return;
        this.indexOf.set(name, this.names.length);
        this.names.push(name);
    }
}
