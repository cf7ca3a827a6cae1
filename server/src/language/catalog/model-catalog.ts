import type { ParameterInfo } from './parameters.js';

/**
 * The loading and prompting settings of a `model { }` block and the sampling and prompting settings of an
 * `agent { }` block: one description each, read by the validator (allowed values, bounds), hover and completion,
 * and the compiler (defaults). The trainer's side is trainer/mas_trainer/models.py and chat.py.
 */

/** `format:` values. Absent: chat when the tokenizer has a chat template, raw otherwise. */
export const MODEL_FORMATS = ['chat', 'raw'] as const;
export const MODEL_DTYPES = ['auto', 'bf16', 'fp16', 'fp32'] as const;
export const MODEL_ATTENTIONS = ['sdpa', 'eager', 'flash_attention_2'] as const;

export const MODEL_SETTINGS: readonly ParameterInfo[] = [
    {
        name: 'format',
        kind: 'identifier',
        values: MODEL_FORMATS,
        doc:
            '`chat`: each prompt goes through the tokenizer’s chat template (`apply_chat_template`, generation prompt ' +
            'added): a system message (the agent’s `system:`, else its role’s description) and the rendered prompt as ' +
            'the user message. `raw`: the prompt text is tokenized as it is. Default: `chat` when the tokenizer has a ' +
            'chat template, `raw` otherwise; `scratch` models are always `raw`. Base (non-instruct) models often ship a ' +
            'chat template too: write `format: raw` to prompt them with plain text.',
    },
    {
        name: 'dtype',
        kind: 'identifier',
        values: MODEL_DTYPES,
        default: 'auto',
        doc:
            'The precision the weights are loaded in. `auto`: bf16 for the frozen base of a LoRA model on a GPU that ' +
            'supports it; fp32 elsewhere (bf16 is slow on CPUs, trained full weights keep fp32 master copies under ' +
            'bf16 autocast, and fp16 training needs a loss scaler). `fp16` may overflow in training; prefer `bf16`. ' +
            '`scratch` models are fp32.',
    },
    {
        name: 'attention',
        kind: 'identifier',
        values: MODEL_ATTENTIONS,
        doc:
            'The attention implementation (transformers’ `attn_implementation`). Default: transformers’ choice ' +
            '(`sdpa` where supported). `flash_attention_2` needs the `flash-attn` package and a bf16/fp16 model on ' +
            'a recent NVIDIA GPU. Does not apply to `scratch` models.',
    },
    {
        name: 'gradient_checkpointing',
        kind: 'identifier',
        values: ['true', 'false'],
        default: 'false',
        doc:
            'Recompute activations in the backward pass instead of keeping them: much less memory in the update ' +
            'for about a third more compute. Turn it on when the update runs out of GPU memory.',
    },
];

export const AGENT_SETTINGS: readonly ParameterInfo[] = [
    {
        name: 'system',
        kind: 'identifier',
        doc:
            'The system message of a chat model’s prompt (`format: chat`). Default: the role’s description; an empty ' +
            'text leaves the system message out. Raw models (`scratch`, `format: raw`) ignore it.',
    },
    {
        name: 'top_p',
        kind: 'number',
        min: 0,
        max: 1,
        default: 1,
        doc:
            'Nucleus sampling: sample only from the smallest set of tokens whose probabilities add up to `top_p` ' +
            '(greater than 0, at most 1; 1 keeps every token).',
    },
    {
        name: 'top_k',
        kind: 'integer',
        min: 0,
        max: 1_000_000,
        default: 0,
        doc: 'Sample only from the `top_k` most likely tokens (a whole number; 0 keeps every token).',
    },
    {
        name: 'max_tokens',
        kind: 'integer',
        min: 1,
        max: 1_000_000,
        doc: 'The most tokens the agent generates per turn.',
    },
    {
        name: 'temperature',
        kind: 'number',
        min: 0,
        max: 10,
        doc: 'Sampling temperature (0 is greedy decoding); default: the train block’s `temperature`.',
    },
    { name: 'stop', kind: 'identifier', doc: 'A text that ends the agent’s message (it is not kept in the output).' },
];

/** The catalogue entry of a model or agent property keyword. */
export function modelSettingInfo(key: string): ParameterInfo | undefined {
    return MODEL_SETTINGS.find((setting) => setting.name === key);
}

export function agentSettingInfo(key: string): ParameterInfo | undefined {
    return AGENT_SETTINGS.find((setting) => setting.name === key);
}
