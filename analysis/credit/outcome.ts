import { CreditMethod, type CreditGroup, type CreditParams, type GroupCredit } from '../../protocol/credit.js';
import { GRPO_PARAMS, GrpoPool, readGrpoOptions } from './grpo.js';
import { ParamReader } from './params.js';

/**
 * `outcome` credit (GRPO): A_i = (R_i − mean_G R) / (std_G R + ε), the same for every decision of rollout i.
 * DrMAS's compute_grpo_outcome_advantage with group_by_agent_id=False averages a trajectory's rows into one score
 * (`traj2avg`), so each rollout counts once; every row carries the episode reward, so that score is R_i. A rollout
 * without decisions has no rows there: it stays out of the statistics and gets no credit.
 * `baseline: rloo, std: population, epsilon: 1e-8, epsilon_form: in_sqrt` is MAGRPO's joint-action advantage (C3).
 * Twin of trainer/mas_trainer/credit/outcome.py.
 */
export function outcomeCredit(group: CreditGroup, params: CreditParams): GroupCredit {
    const options = readGrpoOptions(new ParamReader(CreditMethod.outcome, params, GRPO_PARAMS));
    const scored = group.rollouts.filter((r) => r.decisions.length > 0).map((r) => r.reward);
    if (scored.length === 0) return group.rollouts.map(() => []);
    const pool = new GrpoPool(scored, options);
    return group.rollouts.map((r) => r.decisions.map(() => pool.credit(r.reward)));
}
