import type { CreditMethodName } from './credit.js';
import type { Expr } from './expression.js';

/** The RunSpec version this code writes and reads; both sides reject any other. */
export const RUN_SPEC_VERSION = 1 as const;

/**
 * The compiled workflow (`mas compile`), the trainer's only input. JSON keys are snake_case because
 * the Python dataclasses (`mas_trainer/spec.py`) mirror this file one to one.
 * JSON Schema: protocol/schemas/run-spec.schema.json.
 */
export interface RunSpec {
    version: typeof RUN_SPEC_VERSION;
    workflow: string;
    /**
     * The .mas file it was compiled from (absolute path) and the sha256 (hex) of its text and its
     * transitive imports' texts: the file first, then the imports sorted by URI, each text followed by "\0".
     */
    source: { file: string; sha256: string };
    datasets: DatasetSpec[];
    models: ModelSpec[];
    roles: RoleSpec[];
    /** Agents in graph order: breadth-first from `start`, edges in declaration order. */
    agents: AgentSpec[];
    graph: GraphSpec;
    rubrics: RubricSpec[];
    reward: RewardSpec;
    train: TrainSpec;
    /**
     * The declared verifiers that the rubrics call, by name (a built-in called without a declaration is not
     * listed: the trainer has it). Absent in specs written before verifiers existed: read as `[]`.
     */
    verifiers?: VerifierSpec[];
}

/** A Python function that scores outputs (`verifier name(p: type) -> type from "file.py" function fn`). */
export interface VerifierSpec {
    name: string;
    params: { name: string; type: FieldType }[];
    returns: 'number' | 'bool';
    /** Absolute path of the Python file, resolved against the .mas file that declares the verifier. */
    file: string;
    /** The Python function's name (the verifier's own unless `function` gave another). */
    function: string;
}

export type FieldType = 'string' | 'number' | 'bool';

export interface DatasetSpec {
    name: string;
    /** Absolute path of the JSON Lines file, resolved against the .mas file that declares it. */
    path: string;
    /** The path as written in the .mas file. */
    declared_path: string;
    fields: { name: string; type: FieldType }[];
}

export type ModelSource =
    | { kind: 'hf'; id: string }
    | { kind: 'scratch'; layers: number; hidden: number; heads: number; context: number; vocab: 'chars' }
    /** `from: openai "<url>" name "<model>"`: an OpenAI-compatible chat endpoint; agents on it are always frozen.
     *  `key_env` names the environment variable holding the key (read at run time; the key is never in the spec).
     *  Python twin: mas_trainer/api_models.py. */
    | {
          kind: 'openai';
          url: string;
          model: string;
          key_env: string | null;
          /** Seconds per call. */
          timeout: number;
          retries: number;
          /** Calls in flight at once. */
          concurrency: number;
      };

export interface ModelSpec {
    name: string;
    source: ModelSource;
    /**
     * `from`: `lora(from: "...")` resolved against the .mas file's folder, a PEFT adapter folder to start from (its
     * rank and alpha then come from its adapter_config.json); absent for a new adapter. Python twin: AdapterSpec.from_path.
     */
    adapter: null | { kind: 'lora'; rank: number; alpha: number; dropout: number; from?: string };
    /**
     * The settings below are always written by `mas compile`; a spec from an older compiler may lack them, and the
     * trainer then uses the default given here.
     * How prompts are tokenized: `chat` through the tokenizer's chat template, `raw` as plain text;
     * null (default): chat when the tokenizer has a chat template, raw otherwise. `scratch` models are raw.
     */
    format?: 'chat' | 'raw' | null;
    /** The precision the weights load in; `auto` (default): bf16 for a LoRA model's frozen base on a GPU that supports
     *  it, fp32 elsewhere (trained full weights stay fp32 under bf16 autocast). */
    dtype?: 'auto' | 'bf16' | 'fp16' | 'fp32';
    /** transformers' `attn_implementation`; null (default): transformers' choice. */
    attention?: 'sdpa' | 'eager' | 'flash_attention_2' | null;
    /** Recompute activations in the backward pass (default false). */
    gradient_checkpointing?: boolean;
}

export interface RoleSpec {
    name: string;
    description: string;
}

/** A prompt template: literal text and holes, in order. */
export type TemplatePart = { text: string } | { ref: Extract<Expr, { op: 'task' } | { op: 'output' }> };

export interface AgentSpec {
    name: string;
    role: string;
    model: string;
    /** `shared`: the model's weights and adapter; `adapter`: own LoRA on the shared base; `weights`: own copy. */
    sharing: 'shared' | 'adapter' | 'weights';
    prompt: TemplatePart[];
    max_tokens: number;
    temperature: number;
    /** Nucleus sampling threshold, 0 < top_p ≤ 1 (default 1: every token). Absent in older specs: the default. */
    top_p?: number;
    /** Sample among the top_k most likely tokens (default 0: every token). Absent in older specs: the default. */
    top_k?: number;
    /**
     * The system message of a chat model's prompts (`format: chat`); null (default): the role's description (an empty
     * description: no system message). Raw prompts ignore it.
     */
    system?: string | null;
    stop: string | null;
    /** What the agent says when an estimator nulls it (difference / Shapley credit). */
    null_behaviour: { kind: 'empty' } | { kind: 'skip' } | { kind: 'text'; text: string };
    /** Never trained: acts in rollouts, gets no training credit (declared `frozen`, or on an API model). */
    frozen: boolean;
}

export interface EdgeSpec {
    /** An agent name or `"start"`. */
    from: string;
    /** An agent name or `"end"`. */
    to: string;
    /** `null`: always taken when reached in order. */
    condition: Expr | null;
    /** Times this edge may be taken per trajectory; `null`: unbounded (only on edges outside cycles). */
    max: number | null;
}

export interface GraphSpec {
    /** Edges in declaration order; from an agent, the first edge whose condition holds and whose `max` is not used up is taken. */
    edges: EdgeSpec[];
}

/** A criterion is an expression or a judge model's score: exactly one of `expr` and `judge`. */
export type CriterionSpec = { name: string; weight: number } & (
    { expr: Expr; judge?: never } | { judge: JudgeSpec; expr?: never }
);

/**
 * `judge style weight 0.3 { model: m  prompt: "..."  scale: 1..10 }`: a criterion scored by a frozen model. The prompt
 * (same holes as an agent's) is the user message; the first number of the answer inside `scale` is the score, normalised
 * to 0..1; no such number, or a failed call: null (scores 0, `judge_error`). Python twin: JudgeSpec (judge_spec.py).
 */
export interface JudgeSpec {
    /** A model of `models` (hf, scratch, or an API model); never one an agent trains with full weights. */
    model: string;
    prompt: TemplatePart[];
    /** [lo, hi], lo < hi. */
    scale: [number, number];
    max_tokens: number;
    /** Sampling temperature; absent or 0: greedy. */
    temperature?: number;
}

export interface RubricSpec {
    name: string;
    criteria: CriterionSpec[];
}

export interface RewardSpec {
    name: string;
    rubric: string;
    level: 'trajectory' | 'turn' | 'agent';
}

/** A credit method of the registry generated from the catalogue (protocol/generated/credit-methods.ts). */
export type CreditMethod = CreditMethodName;

export interface TrainSpec {
    dataset: string;
    algorithm: { name: 'grpo'; group: number; clip: number; kl: number };
    /** `params`: the method's parameters with defaults filled in (see server/src/language/catalog). */
    credit: { method: CreditMethod; params: Record<string, number | number[] | string> };
    steps: number;
    batch: number;
    lr: number;
    seed: number;
    device: 'auto' | 'cpu' | 'cuda';
    /** Global limit on turns per trajectory, whatever the loop bounds. */
    max_turns: number;
    /** Estimators recorded beside the training one: `all`, `none`, or a list of method names. A `.mas` train block
     *  without `record_credit` compiles to the cheap ones for a team of at most 4 agents, else `none`
     *  (server/src/language/catalog/record-credit.ts). */
    record_credit: 'all' | 'none' | CreditMethod[];
    checkpoint_every: number;
    /** Critic model name, when one is declared (`train { critic: ... }`). */
    critic: string | null;
    /** Seconds one verifier call may run; absent in older specs (then 10). */
    verifier_timeout?: number;
    /** Memory limit of a verifier worker process, MiB; absent in older specs (then 1024). */
    verifier_memory?: number;
    /** Verifier worker processes; absent in older specs (then 2). */
    verifier_workers?: number;
    /** Early stopping (`train { stop_when: success >= 0.99 for 10 steps }`); null or absent: run all `steps`. */
    stop_when?: StopWhenSpec | null;
    /**
     * Padded prompt + output tokens per forward of the update, the KL reference and the critic (micro-batches whose
     * gradients accumulate). Null or absent: the trainer chooses it from the device's memory and records the value in
     * run.json (`trainer.micro_batch_tokens`) and metrics.jsonl.
     */
    micro_batch_tokens?: number | null;
}

/**
 * The run ends (status `finished`, exit 0) after the step at which `metric op threshold` has held for `steps`
 * consecutive steps. `metric`: `success`, `reward_mean`, or a criterion of the reward rubric (its per-step mean).
 */
export interface StopWhenSpec {
    metric: string;
    op: '>=' | '<=' | '>' | '<';
    threshold: number;
    steps: number;
}
