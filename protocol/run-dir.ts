import type { EvalErrorKind } from './expression.js';
import type { RunSpec } from './run-spec.js';

/**
 * The run directory the trainer writes and the extension reads (DESIGN.md §3). Python twins: the layout in
 * trainer/mas_trainer/rundir/ (layout.py, run_json.py), the records in trainer/mas_trainer/{metrics,rollout}.py.
 * JSON Schemas: protocol/schemas/run-dir/*.schema.json; layout and write order: protocol/schemas/run-dir/README.md.
 * A run directory is untrusted: what the extension's readers accept (regular files only, 1 000 levels of JSON
 * nesting, run.json checked against its schema, 256 agents per run, 4 096 turns per rollout, duplicate / mismatched
 * records listed) is in that README, "What readers accept".
 */
/** Python twin: RUN_DIR_VERSION (trainer/mas_trainer/rundir/layout.py). */
export const RUN_DIR_VERSION = 1 as const;

/**
 * Python twin: RUN_DIR_FILES (trainer/mas_trainer/rundir/layout.py; trainer/tests/test_run_dir_layout.py compares them).
 * judgeCacheDir: judge answers cached by (judge, model, prompt, output) in judge-cache/answers.jsonl (judge_cache.py).
 */
export const RUN_DIR_FILES = {
    run: 'run.json',
    metrics: 'metrics.jsonl',
    trajectoriesDir: 'trajectories',
    checkpointsDir: 'checkpoints',
    latestCheckpoint: 'latest_checkpointed_iteration.txt',
    log: 'trainer.log',
    tensorboardDir: 'tensorboard',
    critic: 'critic.onnx',
    criticSidecar: 'critic.onnx.json',
    judgeCacheDir: 'judge-cache',
} as const;

/** Python twin: CHECKPOINT_FORMAT (trainer/mas_trainer/rundir/layout.py); 1 (no `format` in the marker): pickled weights. */
export const CHECKPOINT_FORMAT = 2 as const;

/**
 * Inside each `checkpoints/global_step_<n>/` folder (Python twin: CHECKPOINT_FILES in trainer/mas_trainer/rundir/layout.py).
 * `policyDir/<unit>/` is a Hugging Face model folder (full weights: `modelConfig`, `modelWeights`, the tokenizer files);
 * `policyDir/<unit>/<adapter>/` a PEFT adapter folder (`adapterConfig`, `adapterWeights`). A checkpoint is complete when
 * its `marker` exists: `{ step, format, files: { <path inside the folder>: <sha256> } }`.
 */
export const CHECKPOINT_FILES = {
    marker: 'COMPLETE.json',
    trainerState: 'trainer_state.json',
    policyDir: 'policy',
    modelConfig: 'config.json',
    modelWeights: 'model.safetensors',
    adapterConfig: 'adapter_config.json',
    adapterWeights: 'adapter_model.safetensors',
} as const;

/** `run.json` (Python: rundir/run_json.py run_json_record). */
export interface RunJson {
    version: typeof RUN_DIR_VERSION;
    /** `stopped`: ended early and resumable; a killed trainer leaves `running`. */
    status: 'running' | 'finished' | 'stopped' | 'failed';
    error: string | null;
    /**
     * Set when `stop_when` ended a `finished` run before `steps_total`: the condition and the step, as the log says
     * it (`success >= 0.99 for 10 steps at step 57`). Absent otherwise.
     */
    stopped_early?: string;
    workflow: string;
    /** Unix seconds. */
    started_at: number;
    updated_at: number;
    steps_completed: number;
    steps_total: number;
    /**
     * `micro_batch_tokens`: the padded tokens per forward of the update, the KL reference and the critic — the spec's
     * `train { micro_batch_tokens }` or the device's default (trainer/README.md); absent in runs written before it.
     */
    trainer: { version: string; python: string; torch: string; device: string; micro_batch_tokens?: number };
    /** Trainable modules (one optimizer each) and the agents acting through them. */
    units: { name: string; agents: string[]; adapters: boolean }[];
    spec: RunSpec;
}

/** One line of `metrics.jsonl` per completed step (Python: metrics.step_metrics). */
export interface MetricsRecord {
    /** Steps completed, 1-based; each appears exactly once, also across resumes. */
    step: number;
    time: number;
    /**
     * The trainer writes only standard JSON: a statistic that came out NaN or ±Infinity (a diverged loss) is null
     * here, and counted in `nonfinite_values` (Python: mas_trainer/strict_json.py).
     */
    reward_mean: number | null;
    /** Population standard deviation over the batch's rollouts. */
    reward_std: number | null;
    /** Fraction of rollouts where every criterion scored >= 1. */
    success: number;
    /** Criterion name -> mean score on the final transcripts. */
    criteria: Record<string, number | null>;
    /** Agent -> mean credit of its decisions under the training estimator. */
    credit_mean: Record<string, number | null>;
    loss: number | null;
    /** Mean per-token k3 KL estimate to the reference (0 when the spec's kl is 0). */
    kl: number | null;
    /** Agent -> norm of the gradient of that agent's share of the loss, before clipping. */
    grad_norm: Record<string, number | null>;
    turns_mean: number;
    rollout_tokens: number;
    rollout_tokens_per_s: number;
    update_tokens_per_s: number;
    rollout_s: number;
    update_s: number;
    lr: number;
    /** Peak allocated CUDA memory in MiB; null on CPU. */
    gpu_memory_mb: number | null;
    /**
     * Share of the step's GRPO groups whose rewards are all equal (0 to 1): their credit is 0 and they teach nothing.
     * Near 1, learning stalls: the tasks are all too easy or all too hard for the team. Absent in older runs.
     */
    frac_zero_std?: number;
    /** The token budget per forward the update ran with (run.json `trainer.micro_batch_tokens`). Absent in older runs. */
    micro_batch_tokens?: number;
    /**
     * How many NaN / ±Infinity values of this step were written as null, in this line and in its
     * trajectories/<step>.jsonl; absent in runs written before the trainer counted them.
     */
    nonfinite_values?: number;
    /**
     * Verifier -> calls of this step that failed (an exception, a timeout, the memory limit, a wrong return type) and
     * so gave null (protocol/EXPRESSIONS.md, `verifier`); each distinct failure is logged once in trainer.log with its
     * input. Present when the spec calls verifiers (every verifier of the pool listed, 0 when none failed).
     */
    verifier_errors?: Record<string, number>;
    /**
     * Judged criterion -> scorings of this step where the judge model failed or answered without a score in its
     * scale (the criterion then scores null; trainer/mas_trainer/judges.py); each distinct failure is logged once with
     * its prompt and answer. Present when the reward rubric has judge criteria (each listed, 0 when none failed).
     */
    judge_errors?: Record<string, number>;
}

/** One turn of a trajectory (Python: rollout.Turn). */
export interface TurnRecord {
    index: number;
    agent: string;
    role: string;
    model: string;
    prompt: string;
    output: string;
    /** Prompt length in tokens after truncation to the model's context. */
    prompt_tokens: number;
    token_ids: number[];
    /** Log-probability of each sampled token under the distribution it was sampled from. */
    logprobs: number[];
    started_at: number;
    /** Duration of the batched generation call this turn was part of. */
    duration_ms: number;
    /** Produced by the agent's null behaviour (difference / Shapley credit), not a trainable decision. */
    nulled: boolean;
    /** Chat models (format: chat): the messages the prompt was rendered from, in order (system, then user); absent for
     *  raw prompts. `prompt` is then the rendered text (chat template applied, generation prompt included) and `output`
     *  the assistant's reply, whose tokens are `token_ids`. */
    messages?: { role: 'system' | 'user'; content: string }[];
    /** The agent is frozen (`model: m frozen`): it acted but is never trained and its turns get no training credit.
     *  Absent: false (trained agents, and runs written before frozen agents existed). */
    frozen?: boolean;
}

/** One line of `trajectories/<step>.jsonl` per rollout (Python: metrics.trajectory_records). */
export interface TrajectoryRecord {
    step: number;
    rollout: number;
    /** Index of the task within the batch: the GRPO group. */
    group: number;
    /** Index within the group. */
    sample: number;
    /** Tree rollouts (counterfactual credit): the rollout this one branched from; null otherwise. */
    parent: number | null;
    /** Tree rollouts: the number of leading turns copied from `parent` (trained once, there); 0 otherwise (absent in
     *  runs written before tree rollouts existed: read it as 0). */
    branch_turn?: number;
    task: Record<string, string | number | boolean | null>;
    turns: TurnRecord[];
    stop_reason: 'end' | 'no_edge' | 'max_turns';
    /** The rollout's total reward at the declared reward level. */
    reward: number;
    criteria: Record<string, number>;
    /** Criterion -> error kind, for criteria whose evaluation raised on the final transcript (they score 0). */
    criteria_errors: Record<string, EvalErrorKind>;
    success: boolean;
    /** Turn index of each trainable decision (nulled turns excluded). */
    decision_turns: number[];
    /** Per decision; null entries at trajectory level. */
    decision_rewards: (number | null)[];
    /** Credit method -> one credit per decision, aligned with `decision_turns`. */
    credit: Record<string, number[]>;
    /** Difference / Shapley credit: rewards of re-runs with those agents nulled (absent when none ran). */
    counterfactuals?: { nulled: string[]; reward: number }[];
    /** Permutation Shapley: the agent orders sampled for this rollout. */
    permutations?: string[][];
    /** Value-assisted C3 credit: the critic's Q of each decision's transcript, its output included (aligned with
     *  `decision_turns`; absent for other credit). */
    decision_q?: number[];
}

/**
 * The character tokenizer of `vocab: chars` (scratch) models: id = offset + index of the character in `alphabet`
 * (Python's `string.printable[:95]` then a newline), and three special ids below the offset. Python twin:
 * mas_trainer/tokenizer.py CharTokenizer (test/webview/token-texts.test.ts compares them).
 */
export const CHAR_TOKENIZER = {
    alphabet: '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ \n',
    offset: 3,
    padId: 0,
    eosId: 1,
    unkId: 2,
} as const;

/** `critic.onnx.json` format version (Python: mas_trainer/critic/export.py SIDECAR_VERSION). */
export const CRITIC_SIDECAR_VERSION = 1 as const;
/** How the critic's input text is built from a rollout's turns (protocol/schemas/run-dir/README.md). */
export const CRITIC_TRANSCRIPT_FORMAT = 'mas-prefix-v1' as const;

export interface CriticTensor {
    name: string;
    dtype: 'int64' | 'float32';
    shape: string[];
}

/** Left-truncated to `max_length` ids, right-padded; an empty text is one `pad_id` with mask 1. */
interface CriticTokenLayout {
    max_length: number;
    truncation: 'left';
    padding: 'right';
    empty_text: string;
}

/** Character tokenizer: id = offset + index of the code point in `alphabet`, otherwise `unk_id`. */
export interface CriticCharTokenizer extends CriticTokenLayout {
    kind: 'chars';
    alphabet: string;
    offset: number;
    pad_id: number;
    eos_id: number;
    unk_id: number;
    vocab_size: number;
}

/** A transformers tokenizer (not reproducible in TypeScript without its files: the editor may decline to run it). */
export interface CriticHfTokenizer extends CriticTokenLayout {
    kind: 'hf';
    model: string;
    vocab_size: number;
    pad_id: number;
    add_special_tokens: false;
}

/** `critic.onnx.json`, written after `critic.onnx` at each checkpoint (schema: critic-sidecar.schema.json). */
export interface CriticSidecar {
    version: typeof CRITIC_SIDECAR_VERSION;
    file: 'critic.onnx';
    /** Of critic.onnx; a mismatch means an export was in progress: read both again. */
    sha256: string;
    bytes: number;
    step: number;
    exported_at: number;
    model: string;
    source: 'scratch' | 'hf';
    opset: number;
    /** `input_ids` and `attention_mask`, int64 [batch, sequence]. */
    inputs: CriticTensor[];
    /** `value`, float32 [batch]. */
    outputs: CriticTensor[];
    tokenizer: CriticCharTokenizer | CriticHfTokenizer;
    transcript_format: typeof CRITIC_TRANSCRIPT_FORMAT;
    credit: string;
}
