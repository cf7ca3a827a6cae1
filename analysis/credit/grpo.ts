import { ParamReader } from './params.js';

/**
 * The switches shared by `outcome` and `agent_normalized`, and the GRPO pool statistics. Defaults reproduce DrMAS's
 * compute_grpo_outcome_advantage (langfengQ/DrMAS, verl/trainer/ppo/core_algos.py): epsilon 1e-6, torch.std
 * (unbiased), division by std on, and a one-element pool normalised with mean 0 and std 1. MAGRPO (EIT-EAST-Lab/C3,
 * c3/algorithms/magrpo.py compute_magrpo, commit 628185be) is `baseline: rloo` (or `group_mean`) with
 * `std: population`, `epsilon: 1e-8`, `epsilon_form: in_sqrt`.
 * Twin of trainer/mas_trainer/credit/grpo.py and stats.py.
 */
export const GRPO_PARAMS = ['epsilon', 'std', 'scale', 'singleton', 'baseline', 'epsilon_form'] as const;

export interface GrpoOptions {
    epsilon: number;
    stdKind: 'unbiased' | 'population';
    /** false = Dr. GRPO's `norm_adv_by_std_in_grpo=False` (mean-centring only). */
    scaleByStd: boolean;
    singleton: 'authors' | 'zero';
    /** `rloo`: the mean of the other samples (MAGRPO); `group_mean`: the pool mean. */
    baseline: 'group_mean' | 'rloo';
    /** `outside`: std + ε (DrMAS); `in_sqrt`: √(var + ε) (MAGRPO). */
    epsilonForm: 'outside' | 'in_sqrt';
}

export function readGrpoOptions(reader: ParamReader): GrpoOptions {
    return {
        epsilon: reader.nonNegativeNumber('epsilon', 1e-6),
        stdKind: reader.choice('std', ['unbiased', 'population'] as const, 'unbiased'),
        scaleByStd: reader.choice('scale', ['std', 'none'] as const, 'std') === 'std',
        singleton: reader.choice('singleton', ['authors', 'zero'] as const, 'authors'),
        baseline: reader.choice('baseline', ['group_mean', 'rloo'] as const, 'group_mean'),
        epsilonForm: reader.choice('epsilon_form', ['outside', 'in_sqrt'] as const, 'outside'),
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

/** One GRPO pool: credit(x) = (x − baseline(x)) / divisor. `rloo` subtracts the mean of the other samples,
 *  (sum − x) / (n − 1), but keeps MAGRPO's std around the full pool mean, so rloo credit = n/(n−1) × group-mean
 *  credit. Divisor: std + ε (`outside`) or √(std² + ε) (`in_sqrt`); 1 without `scale: std`. A one-element pool gets
 *  mean 0 and std 1 in DrMAS's code (`singleton: authors`: the lone sample keeps score / (1 + ε)); `zero` gives it
 *  credit 0 (also MAGRPO's group_mean result). Twin of stats.py GrpoPool. */
export class GrpoPool {
    readonly mean: number;
    readonly divisor: number;
    private readonly size: number;
    private readonly total: number;
    private readonly rloo: boolean;

    constructor(values: readonly number[], options: GrpoOptions) {
        this.size = values.length;
        let total = 0;
        for (const v of values) total += v;
        this.total = total;
        this.rloo = options.baseline === 'rloo' && this.size > 1;
        let sd: number;
        if (this.size === 1) {
            [this.mean, sd] = options.singleton === 'authors' ? [0, 1] : [values[0]!, 0];
        } else {
            this.mean = mean(values);
            sd = std(values, options.stdKind);
        }
        if (!options.scaleByStd) this.divisor = 1;
        else if (options.epsilonForm === 'in_sqrt') this.divisor = Math.sqrt(sd * sd + options.epsilon);
        else this.divisor = sd + options.epsilon;
    }

    credit(x: number): number {
        const base = this.rloo ? (this.total - x) / (this.size - 1) : this.mean;
        return (x - base) / this.divisor;
    }
}
