import { ParamReader } from './params.js';

/**
 * The switches shared by `outcome` and `agent_normalized`, and the GRPO pool statistics. Defaults reproduce DrMAS's
 * compute_grpo_outcome_advantage (langfengQ/DrMAS, verl/trainer/ppo/core_algos.py): epsilon 1e-6, torch.std
 * (unbiased), division by std on, and a one-element pool normalised with mean 0 and std 1.
 * Twin of trainer/mas_trainer/credit/grpo.py and stats.py.
 */
export const GRPO_PARAMS = ['epsilon', 'std', 'scale', 'singleton'] as const;

export interface GrpoOptions {
    epsilon: number;
    stdKind: 'unbiased' | 'population';
    /** false = Dr. GRPO's `norm_adv_by_std_in_grpo=False` (mean-centring only). */
    scaleByStd: boolean;
    singleton: 'authors' | 'zero';
}

export function readGrpoOptions(reader: ParamReader): GrpoOptions {
    return {
        epsilon: reader.nonNegativeNumber('epsilon', 1e-6),
        stdKind: reader.choice('std', ['unbiased', 'population'] as const, 'unbiased'),
        scaleByStd: reader.choice('scale', ['std', 'none'] as const, 'std') === 'std',
        singleton: reader.choice('singleton', ['authors', 'zero'] as const, 'authors'),
    };
}

export function mean(values: readonly number[]): number {
    let sum = 0;
    for (const v of values) sum += v;
    return sum / values.length;
}

export function std(values: readonly number[], kind: 'unbiased' | 'population'): number {
    const mu = mean(values);
    let squares = 0;
    for (const v of values) squares += (v - mu) ** 2;
    const divisor = kind === 'unbiased' ? values.length - 1 : values.length;
    return divisor > 0 ? Math.sqrt(squares / divisor) : 0;
}

/** (mean, divisor) of one pool: credit = (score − mean) / divisor. A one-element pool gets mean 0 and std 1 in the
 *  authors' code (`singleton: authors`: the lone sample keeps score / (1 + eps)); `zero` gives it credit 0. */
export function standardisePool(values: readonly number[], options: GrpoOptions): { mean: number; divisor: number } {
    let mu: number;
    let sd: number;
    if (values.length === 1) {
        [mu, sd] = options.singleton === 'authors' ? [0, 1] : [values[0]!, 0];
    } else {
        mu = mean(values);
        sd = std(values, options.stdKind);
    }
    return { mean: mu, divisor: options.scaleByStd ? sd + options.epsilon : 1 };
}
