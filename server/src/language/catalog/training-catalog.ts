import type { CreditCapabilities } from '../../../../protocol/credit.js';
import type { CreditMethodInfo, MethodInfo, ParameterInfo } from './parameters.js';

/** Policy-optimisation algorithms of `train { algorithm: ... }`. */
export const ALGORITHMS: readonly MethodInfo[] = [
    {
        name: 'grpo',
        summary:
            "Group Relative Policy Optimization: G rollouts per task, clipped policy-gradient update on each decision's tokens.",
        formula: 'L = −E[min(ρ·A, clip(ρ, 1−ε, 1+ε)·A)] + β·KL(π‖π_ref), ρ = π(a|s)/π_old(a|s)',
        source: 'Shao et al. 2024, DeepSeekMath',
        parameters: [
            {
                name: 'group',
                kind: 'integer',
                min: 1,
                max: 1024,
                default: 8,
                doc: 'Rollouts per task (G). Must be at least 2: advantages are relative to the group.',
            },
            { name: 'clip', kind: 'number', min: 0, max: 1, default: 0.2, doc: 'PPO clip range ε.' },
            {
                name: 'kl',
                kind: 'number',
                min: 0,
                max: 10,
                default: 0,
                doc: 'Weight β of the KL penalty to the reference policy.',
            },
        ],
    },
];

/** Credit-assignment estimators of `train { credit: ... }` (DESIGN.md §5). */
/** Switches of the GRPO-family estimators; defaults reproduce the authors' code (DrMAS compute_grpo_outcome_advantage). */
const GRPO_SWITCHES: readonly ParameterInfo[] = [
    {
        name: 'epsilon',
        kind: 'number',
        min: 0,
        max: 1,
        default: 1e-6,
        doc: 'ε added to the std (Dr. MAS: 1e-6); see `epsilon_form` (MAGRPO: 1e-8 inside the square root).',
    },
    {
        name: 'std',
        kind: 'identifier',
        values: ['unbiased', 'population'],
        default: 'unbiased',
        doc: 'Standard deviation with n−1 (torch.std, the authors) or n.',
    },
    {
        name: 'scale',
        kind: 'identifier',
        values: ['std', 'none'],
        default: 'std',
        doc: '`none` centres only (Dr. GRPO, `norm_adv_by_std_in_grpo=False`).',
    },
    {
        name: 'singleton',
        kind: 'identifier',
        values: ['authors', 'zero'],
        default: 'authors',
        doc: 'A one-element group: `authors` uses mean 0 and std 1 (credit = R), `zero` gives 0.',
    },
    {
        name: 'baseline',
        kind: 'identifier',
        values: ['group_mean', 'rloo'],
        default: 'group_mean',
        doc: 'What is subtracted: the group mean (GRPO, Dr. MAS) or the mean of the other samples (`rloo`, MAGRPO). MAGRPO keeps the std around the full group mean, so `rloo` credit = n/(n−1) × `group_mean` credit. MAGRPO = `baseline: rloo, std: population, epsilon: 1e-8, epsilon_form: in_sqrt, singleton: zero` (EIT-EAST-Lab/C3@628185b, compute_magrpo).',
    },
    {
        name: 'epsilon_form',
        kind: 'identifier',
        values: ['outside', 'in_sqrt'],
        default: 'outside',
        doc: 'Where ε goes: `outside` divides by std + ε (Dr. MAS), `in_sqrt` by √(var + ε) (MAGRPO, ε = 1e-8).',
    },
];

/** The optional normalisation of difference and Shapley credits (trainer/mas_trainer/credit/nulled.py). */
const NULLED_NORMALIZE: ParameterInfo = {
    name: 'normalize',
    kind: 'identifier',
    values: ['none', 'center', 'standardize'],
    default: 'none',
    doc: "Per agent over the group: `center` subtracts the agent's mean credit, `standardize` also divides by its std + 1e-6; `none` keeps raw reward differences.",
};

/** What an estimator needs and does, read by both sides through the generated registry
 *  (protocol/generated/credit-methods.ts, trainer/mas_trainer/credit/methods.json; `npm run generate:credit`).
 *  The capabilities named are true, the others false. */
function caps(...on: (keyof CreditCapabilities)[]): CreditCapabilities {
    const all: CreditCapabilities = {
        needsGroup: false,
        needsTree: false,
        needsNulledReruns: false,
        coalitionReruns: false,
        needsCritic: false,
        poolsOverBatch: false,
        rescorable: false,
    };
    for (const name of on) all[name] = true;
    return all;
}

export const CREDIT_METHODS: readonly CreditMethodInfo[] = [
    {
        name: 'outcome',
        summary: 'GRPO outcome advantage: the same credit for every agent and turn of a rollout.',
        formula: 'A_i = (R_i − mean_G R) / (std_G R + ε)',
        source: 'Shao et al. 2024 (GRPO); defaults = Dr. MAS (langfengQ/DrMAS@19c632bc); `baseline: rloo, std: population, epsilon: 1e-8, epsilon_form: in_sqrt, singleton: zero` = MAGRPO joint-action (EIT-EAST-Lab/C3@628185b)',
        parameters: GRPO_SWITCHES,
        capabilities: caps('needsGroup', 'rescorable'),
    },
    {
        name: 'agent_normalized',
        summary: "Dr. MAS: normalise with the mean and std of agent k's own actions within the group.",
        formula: 'A_{i,k} = (R_i − mean_{G,k} R) / (std_{G,k} R + ε)',
        source: 'Dr. MAS (langfengQ/DrMAS@19c632bc); `baseline: rloo, std: population, epsilon: 1e-8, epsilon_form: in_sqrt, singleton: zero` = MAGRPO per-role (EIT-EAST-Lab/C3@628185b)',
        parameters: [
            ...GRPO_SWITCHES,
            {
                name: 'pooling',
                kind: 'identifier',
                values: ['decision', 'rollout'],
                default: 'decision',
                doc: "`decision`: every action of agent k in the group is one sample (the authors' code); `rollout`: one sample per (rollout, agent).",
            },
            {
                name: 'reward',
                kind: 'identifier',
                values: ['decision', 'rollout'],
                default: 'decision',
                doc: "Which reward is normalised: `decision` (default, Dr. MAS's behaviour: each row's own summed score — the decision's turn/agent reward, the rollout's where a decision has none) or `rollout` (the rollout's reward for every decision).",
            },
        ],
        capabilities: caps('needsGroup', 'rescorable'),
    },
    {
        name: 'turn_level',
        summary:
            "MARS: per-turn rewards normalised per agent; a turn gets the sum of its agent's normalised rewards from that turn on, centred per agent. `preset: mars_paper` equals MARS's paper configuration.",
        formula:
            'Â_{k,t} = Σ_{t′ ≥ t} r̃_{k,t′},  r̃ = r − mean_k r (MARS default; `reward_norm: mean_std` also divides by std_k r + ε); then centred per agent',
        source: 'MARS (thu-nics/MARS@5979f75c); `preset: mars_paper` = its self-play configuration',
        parameters: [
            {
                name: 'reward_norm',
                kind: 'identifier',
                values: ['mean', 'mean_std', 'none'],
                default: 'mean',
                doc: 'Normalisation of per-turn rewards per agent, pooled over the training step (authors: mean only).',
            },
            {
                name: 'advantage_norm',
                kind: 'identifier',
                values: ['mean', 'mean_std', 'none'],
                default: 'mean',
                doc: 'Normalisation of the summed advantages per agent over the step (authors: mean only).',
            },
            {
                name: 'advantage_pool',
                kind: 'identifier',
                values: ['distinct_with_zero', 'distinct', 'decisions', 'float32_distinct'],
                default: 'distinct_with_zero',
                doc: "Which values the advantage mean is taken over; the authors' code pools distinct values plus 0, compared in float32 (`float32_distinct`, set by `preset: mars_paper`); `distinct_with_zero` merges float64 rounding residues.",
            },
            {
                name: 'whiten_rewards',
                kind: 'identifier',
                values: ['off', 'on'],
                default: 'off',
                doc: "MARS's masked_whiten of the normalised rewards over the step's decisions, each decision counted as one response token (MARS whitens per token; on in its paper configs).",
            },
            {
                name: 'whiten_advantages',
                kind: 'identifier',
                values: ['off', 'on'],
                default: 'off',
                doc: "MARS's masked_whiten of the centred advantages over the step's decisions, each decision counted as one response token (on in its paper configs).",
            },
            {
                name: 'gamma',
                kind: 'number',
                min: 0,
                max: 1,
                default: 1,
                doc: "Discount of the summed rewards over the agent's later turns (MARS: gamma 1).",
            },
            {
                name: 'preset',
                kind: 'identifier',
                values: ['ours', 'mars_paper'],
                default: 'ours',
                doc: "`mars_paper` equals MARS's self-play configuration (thu-nics/MARS@5979f75c: mean normalisations, both whitenings on, gamma 1, distinct values compared in float32), exact when each decision is one response token; `ours` keeps the residue-proof distinct step and no whitening. Explicit parameters override the preset.",
            },
        ],
        capabilities: caps('needsGroup', 'poolsOverBatch', 'rescorable'),
    },
    {
        name: 'counterfactual',
        summary:
            "C3: tree rollouts with a fan-out per agent in graph order; a node's credit is its value against its siblings' (same frozen context), leave-one-out, standardised within the siblings. `variant: value_assisted` (C3's paper default, needs `critic: <model>`) mixes the siblings' critic Q into the baseline.",
        formula:
            'V(n) = mean of leaf rewards under n;  A(n) = V(n) − [(1−α)·mean_{s ≠ n} V(s) + α·mean_{s ≠ n} Q(s)]  (reward_only: α = 0);  C(n) = (A(n) − mean_sib A) / √(var_sib A + 1e-8)',
        source: 'C3 (EIT-EAST-Lab/C3@628185b, c3/credit/c3/provider.py); `variant: value_assisted` = its paper default, `reward_only` its reward-only ablation',
        parameters: [
            {
                name: 'fanout',
                kind: 'integer-list',
                min: 1,
                max: 64,
                required: true,
                doc: 'Samples per agent in graph order (turn by turn); their product must equal the GRPO group size. Turns past the list do not branch and get credit 0.',
            },
            {
                name: 'baseline',
                kind: 'identifier',
                values: ['loo', 'full_mean'],
                default: 'loo',
                doc: 'Sibling baseline: leave-one-out mean (C3\'s default) or the mean including the node itself (C3\'s "No LOO" ablation).',
            },
            {
                name: 'normalize',
                kind: 'identifier',
                values: ['siblings', 'none'],
                default: 'siblings',
                doc: "Standardise the credits within each sibling group (C3's default) or keep them raw (`--no_advantage_std_norm`).",
            },
            {
                name: 'variant',
                kind: 'identifier',
                values: ['reward_only', 'value_assisted'],
                default: 'reward_only',
                doc: "`value_assisted` is C3's paper default (EIT-EAST-Lab/C3@628185b `--c3_credit_variant value_assisted`): the baseline mixes the siblings' rewards with their Q from the train block's `critic: <model>`, scored on the transcript through each sibling's turn. `reward_only` (our default: it needs no critic) is C3's reward-only ablation.",
            },
            {
                name: 'alpha',
                kind: 'number',
                min: 0,
                max: 1,
                default: 1,
                doc: "Weight of the critic's Q in the `value_assisted` baseline (C3's `--c3_va_alpha`, default 1: the baseline is the siblings' Q alone; 0 is `reward_only`).",
            },
            {
                name: 'no_replay',
                kind: 'identifier',
                values: ['off', 'on'],
                default: 'off',
                doc: "C3's no-replay ablation (`--c3_no_replay`): `on` compares a node with every node of its depth in the tree instead of its siblings only, i.e. the baseline no longer holds the earlier turns fixed.",
            },
        ],
        capabilities: caps('needsGroup', 'needsTree', 'rescorable'),
    },
    {
        name: 'difference',
        summary:
            "Difference rewards: the reward minus the reward of a re-run with agent k's messages replaced by its null behaviour (`null:` on the agent).",
        formula: 'D_k = R − R(a_k ← null_k)',
        source: 'Wolpert & Tumer 2002',
        parameters: [NULLED_NORMALIZE],
        capabilities: caps('needsNulledReruns'),
    },
    {
        name: 'shapley',
        summary:
            'Shapley value over agent coalitions (v(S) = reward with the agents outside S nulled): exact for few agents, permutation sampling otherwise; credits sum to v(N) − v(∅).',
        formula:
            'φ_k = Σ_{S ⊆ N∖{k}} |S|!(n−|S|−1)!/n! · (v(S ∪ {k}) − v(S));  sampled: mean over agent orders of v(before ∪ {k}) − v(before)',
        source: 'Shapley 1953; Castro et al. 2009 (sampling)',
        parameters: [
            {
                name: 'samples',
                kind: 'integer',
                min: 1,
                max: 100000,
                doc: 'Agent orders sampled when the rollout has more than 6 agents (default 64); with 6 or fewer the value is exact.',
            },
            {
                name: 'mode',
                kind: 'identifier',
                values: ['auto', 'exact', 'sampled'],
                default: 'auto',
                doc: '`auto`: exact for at most 6 agents, else sampled; `exact` / `sampled` force one.',
            },
            NULLED_NORMALIZE,
        ],
        capabilities: caps('needsNulledReruns', 'coalitionReruns'),
    },
    {
        name: 'critic',
        summary: "A learned value over transcript prefixes; a turn's credit is its TD error.",
        formula: 'C_t = r_t + V(h_{t+1}) − V(h_t)',
        source: 'Actor-critic (COMA / SPA-RL style)',
        parameters: [
            { name: 'lr', kind: 'number', min: 0, max: 1, default: 1e-4, doc: 'Learning rate of the critic.' },
            {
                name: 'passes',
                kind: 'integer',
                min: 1,
                max: 64,
                default: 2,
                doc: "Regression passes of the critic over each step's decisions (more passes: a critic that keeps up with the policies, at more CPU per step).",
            },
            {
                name: 'replay',
                kind: 'integer',
                min: 1,
                max: 64,
                default: 1,
                doc: 'Steps whose prefixes and returns each fit covers, this one included (more: the critic reuses recent rollouts and learns in fewer steps, at more CPU per step).',
            },
            {
                name: 'normalize',
                kind: 'identifier',
                values: ['none', 'standardize'],
                default: 'none',
                doc: "Standardise each agent's TD errors within each task's group (actor-critic advantage normalisation) or keep them raw.",
            },
        ],
        capabilities: caps('needsCritic'),
    },
];

export const DEVICES = ['auto', 'cpu', 'cuda'] as const;

/** The settings of a `train` block, with their value kinds and defaults. */
export const TRAIN_SETTINGS: readonly ParameterInfo[] = [
    {
        name: 'algorithm',
        kind: 'identifier',
        values: ALGORITHMS.map((a) => a.name),
        default: 'grpo',
        doc: 'Policy-optimisation algorithm.',
    },
    {
        name: 'credit',
        kind: 'identifier',
        values: CREDIT_METHODS.map((c) => c.name),
        default: 'outcome',
        doc: "How the team's reward is split across agents and turns.",
    },
    { name: 'steps', kind: 'integer', min: 1, max: 10_000_000, default: 100, doc: 'Optimisation steps.' },
    {
        name: 'batch',
        kind: 'integer',
        min: 1,
        max: 100_000,
        default: 8,
        doc: 'Tasks per step (each rolled out `group` times).',
    },
    { name: 'lr', kind: 'number', min: 0, max: 1, default: 1e-4, doc: 'Learning rate of the policies.' },
    {
        name: 'seed',
        kind: 'integer',
        min: 0,
        max: 2 ** 31 - 1,
        default: 0,
        doc: 'Random seed (data order, sampling, initialisation).',
    },
    { name: 'kl', kind: 'number', min: 0, max: 10, default: 0, doc: 'KL penalty weight (same as `grpo(kl: ...)`).' },
    { name: 'device', kind: 'identifier', values: DEVICES, default: 'auto', doc: '`auto` uses CUDA when available.' },
    {
        name: 'max_turns',
        kind: 'integer',
        min: 1,
        max: 10_000,
        default: 32,
        doc: 'Global limit on turns per trajectory.',
    },
    {
        name: 'record_credit',
        kind: 'identifier',
        values: ['all', 'none'],
        doc:
            'The estimators recorded beside the training one, for the trajectory view and the run summary: `all` ' +
            'records every one the rollouts allow (the group ones; with `shapley`, also `difference`), `none` only ' +
            'the training one. Left out, a team of at most 4 agents records the cheap ones — `outcome`, ' +
            '`agent_normalized`, `turn_level`: computed from the sampled group, no re-runs, no critic — and a ' +
            'larger team none.',
    },
    {
        name: 'checkpoint_every',
        kind: 'integer',
        min: 1,
        max: 10_000_000,
        default: 50,
        doc: 'Steps between checkpoints.',
    },
    {
        name: 'temperature',
        kind: 'number',
        min: 0,
        max: 10,
        default: 1,
        doc: 'Default sampling temperature of agents without their own.',
    },
    {
        name: 'micro_batch_tokens',
        kind: 'integer',
        min: 1,
        max: 100_000_000,
        doc:
            "Token budget of one forward pass of the update, the KL reference and the critic: each agent's decisions " +
            'are split into micro-batches of at most this many padded prompt + output tokens (at least one decision ' +
            'each), whose gradients add up to the one-batch gradient. Lower it when training runs out of memory. ' +
            "Left out, the trainer chooses it from the device's memory (2048 on a CPU; 256 per GiB of a CUDA GPU) and " +
            'records the value in run.json.',
    },
    {
        name: 'verifier_timeout',
        kind: 'number',
        min: 0.1,
        max: 3600,
        default: 10,
        doc: 'Seconds one verifier call may run; a call that takes longer is stopped and its criterion scores null.',
    },
    {
        name: 'verifier_memory',
        kind: 'integer',
        min: 64,
        max: 1_048_576,
        default: 1024,
        doc: 'Memory limit of a verifier worker process, in MiB; a call that needs more scores null.',
    },
    {
        name: 'verifier_workers',
        kind: 'integer',
        min: 1,
        max: 64,
        default: 2,
        doc: 'Worker processes that run verifier calls in parallel.',
    },
];

/** Arguments of `scratch(...)` models. */
export const SCRATCH_PARAMETERS: readonly ParameterInfo[] = [
    { name: 'layers', kind: 'integer', min: 1, max: 64, default: 2, doc: 'Transformer layers.' },
    { name: 'hidden', kind: 'integer', min: 8, max: 8192, default: 64, doc: 'Hidden size.' },
    { name: 'heads', kind: 'integer', min: 1, max: 128, default: 4, doc: 'Attention heads (must divide `hidden`).' },
    {
        name: 'context',
        kind: 'integer',
        min: 16,
        max: 32768,
        default: 512,
        doc: 'Maximum sequence length in characters.',
    },
    {
        name: 'vocab',
        kind: 'identifier',
        values: ['chars'],
        default: 'chars',
        doc: 'Tokenizer: `chars` is a built-in character tokenizer.',
    },
];

/** Arguments of `lora(...)` adapters. */
export const LORA_PARAMETERS: readonly ParameterInfo[] = [
    { name: 'rank', kind: 'integer', min: 1, max: 1024, default: 8, doc: 'LoRA rank r.' },
    {
        name: 'alpha',
        kind: 'number',
        min: 0,
        max: 4096,
        default: 16,
        doc: 'LoRA scaling α (the update is scaled by α/r).',
    },
    { name: 'dropout', kind: 'number', min: 0, max: 1, default: 0, doc: 'Dropout on the LoRA input.' },
    {
        name: 'from',
        kind: 'path',
        doc:
            'Start from an existing PEFT adapter: a folder (relative to this file) holding `adapter_config.json` and ' +
            '`adapter_model.safetensors`, such as one `MAS: Export Trained Agents…` wrote. Its rank, alpha and target ' +
            'modules then come from the folder, not from `rank` and `alpha`.',
    },
];

/** The parameters of a catalogue list that have a default (a `path` such as `lora(from: ...)` has none). */
export function withDefaultValue(parameters: readonly ParameterInfo[]): readonly ParameterInfo[] {
    return parameters.filter((parameter) => parameter.default !== undefined);
}

/** Number of agents above which exact Shapley credit (2^n coalitions per rollout) is too slow. */
export const EXACT_SHAPLEY_AGENT_LIMIT = 6;

/** Metrics of `train { stop_when: ... }` that every step's metrics record holds (besides the rubric's criteria). */
export const STOP_WHEN_METRICS: readonly { name: string; doc: string }[] = [
    { name: 'success', doc: 'Share of the step’s rollouts that the rubric counts as a success (0–1).' },
    { name: 'reward_mean', doc: 'Mean team reward over the step’s rollouts.' },
];

/** Hover and completion text of `stop_when`. */
export const STOP_WHEN_DOC =
    '**stop_when** — early stopping: `stop_when: success >= 0.99 for 10 steps` ends the run once the condition has ' +
    'held for that many steps in a row. The metric is `success`, `reward_mean` or a criterion of the reward’s ' +
    'rubric (its per-step mean); the comparison is `>=`, `<=`, `>` or `<`. The trainer then checkpoints, marks ' +
    'the run `finished` with `stopped_early` in run.json, and exits 0.';
