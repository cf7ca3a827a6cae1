import { EXTREME_INPUT_NAMES, EXTREME_INPUTS, mutate, roughTokens } from './mutators.js';
import { mutantSeed, Prng } from './prng.js';
import type { Seed } from './seeds.js';
import type { PooledJob } from './watchdog-pool.js';

/** Per-document limits: a normal mutant answers in milliseconds; a 1 MB line may take seconds. */
const MUTANT_LIMIT_MILLIS = 10_000;
const EXTREME_LIMIT_MILLIS = 60_000;

/**
 * Job `index` of the run with `runSeed`. The first jobs are the extreme inputs (deep nesting,
 * 1 MB lines), one each; the rest are random mutants of random seeds. Everything is derived from
 * (runSeed, index), so any single job can be rebuilt from the printed seed.
 */
export function buildJob(
    runSeed: number,
    index: number,
    seeds: Seed[],
    vocabulary: readonly string[],
): PooledJob & { origin: string } {
    const prng = new Prng(mutantSeed(runSeed, index));
    const seed = prng.pick(seeds);
    if (index < EXTREME_INPUT_NAMES.length) {
        const kind = EXTREME_INPUT_NAMES[index]!;
        return {
            index,
            name: `extreme-${kind}`,
            text: EXTREME_INPUTS[kind]!(seed.text),
            offsetSeed: prng.int(2 ** 31),
            limitMillis: EXTREME_LIMIT_MILLIS,
            origin: `${kind} (seed ${seed.name})`,
        };
    }
    const { text, operations } = mutate(seed.text, prng, vocabulary);
    return {
        index,
        name: `mutant-${index}`,
        text,
        offsetSeed: prng.int(2 ** 31),
        limitMillis: MUTANT_LIMIT_MILLIS,
        origin: `${operations.join('+')} of ${seed.name}`,
    };
}

/** Distinct tokens of the corpus, in a stable order, for token insertions. */
export function corpusVocabulary(seeds: Seed[]): string[] {
    const tokens = new Set<string>();
    for (const seed of seeds) {
        for (const token of roughTokens(seed.text)) {
            if (token.trim() && token.length < 80) {
                tokens.add(token);
            }
        }
    }
    return [...tokens].sort();
}
