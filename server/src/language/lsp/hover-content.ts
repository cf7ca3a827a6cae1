import { AstUtils, type AstNode } from 'langium';
import { API_MODEL_DEFAULTS } from '../catalog/defaults.js';
import { JUDGE_DEFAULTS } from '../catalog/judge-catalog.js';
import {
    isAgent,
    isCriterion,
    isDataset,
    isDatasetField,
    isHfSource,
    isOpenAiSource,
    isModel,
    isReward,
    isRole,
    isRubric,
    isScratchSource,
    isVerifier,
    type Adapter,
    type Agent,
    type Criterion,
    type JudgeBody,
    type Dataset,
    type Model,
    type NamedArg,
    type Template,
} from '../generated/ast.js';
import { normalizedWeights } from './rubric-weights.js';
import { verifierMarkdown } from './verifier-hover.js';

/** Markdown shown when hovering a declaration or a reference to it. */
export function declarationMarkdown(node: AstNode): string | undefined {
    if (isRole(node)) {
        const system = node.description
            ? '_The system message of its agents’ chat prompts, unless an agent sets `system:`._'
            : undefined;
        return [`**role** \`${node.name}\``, node.description, system].filter(Boolean).join('\n\n');
    }
    if (isAgent(node)) {
        return agentMarkdown(node);
    }
    if (isModel(node)) {
        return modelMarkdown(node);
    }
    if (isDataset(node)) {
        return datasetMarkdown(node);
    }
    if (isDatasetField(node)) {
        const dataset = AstUtils.getContainerOfType(node, isDataset);
        return `**field** \`task.${node.name}\`: \`${node.type}\`${dataset ? ` — dataset \`${dataset.name}\`` : ''}`;
    }
    if (isCriterion(node)) {
        return criterionMarkdown(node);
    }
    if (isRubric(node)) {
        const weights = node.criteria.map((criterion) => `\`${criterion.name}\` ${criterion.weight}`).join(', ');
        return `**rubric** \`${node.name}\` — ${node.criteria.length} criteria${weights ? `: ${weights}` : ''}`;
    }
    if (isVerifier(node)) {
        return verifierMarkdown(node);
    }
    if (isReward(node)) {
        return `**reward** \`${node.name}\`: rubric \`${node.rubric?.$refText ?? '?'}\`, scored per ${node.level}`;
    }
    return undefined;
}

const FROZEN_SUMMARY = 'acts in rollouts, never trained, no training credit';

/** The hover of the `frozen` keyword (`model: base frozen`). */
export const FROZEN_DOC = [
    `**frozen** — the agent ${FROZEN_SUMMARY}.`,
    '',
    '- On a LoRA model it acts with the adapter disabled (the base weights); no adapter is made for it.',
    '- On full weights that other agents train, the trainer gives it an untrained copy of the initial weights.',
    '- A model used only by frozen agents gets no optimizer state and no checkpoint files.',
    '- Credit estimators still see it as part of the team: difference and Shapley credit can null it, and its',
    '  turns are recorded (with `frozen: true`), greyed out in the heatmaps.',
].join('\n');

function agentMarkdown(agent: Agent): string {
    const lines = [`**agent** \`${agent.name}\` — role \`${agent.role?.$refText ?? '?'}\``];
    const description = agent.role?.ref?.description;
    if (description) {
        lines.push('', `_${description}_`);
    }
    const binding = agent.model;
    if (binding) {
        lines.push('', `- model: \`${binding.model?.$refText ?? '?'}\``, `- weights: ${sharingText(binding.separate)}`);
        if (binding.frozen) lines.push(`- frozen: ${FROZEN_SUMMARY}`);
    }
    if (agent.maxTokens !== undefined) {
        lines.push(`- max_tokens: ${agent.maxTokens}`);
    }
    if (agent.temperature !== undefined) {
        lines.push(`- temperature: ${agent.temperature}`);
    }
    if (agent.topP !== undefined) lines.push(`- top_p: ${agent.topP}`);
    if (agent.topK !== undefined) lines.push(`- top_k: ${agent.topK}`);
    if (agent.system !== undefined) lines.push(`- system message: ${JSON.stringify(agent.system)}`);
    lines.push(`- when nulled (difference / Shapley credit): ${nullText(agent)}`);
    if (agent.prompt) {
        lines.push('', 'Prompt:', '```', promptPreview(agent.prompt), '```');
    }
    return lines.join('\n');
}

/** The agent's declared null behaviour (`null:`), as the trainer applies it in re-runs. */
function nullText(agent: Agent): string {
    const behaviour = agent.nullBehaviour;
    if (behaviour?.text !== undefined) return `says ${JSON.stringify(behaviour.text)}`;
    if (behaviour?.kind === 'skip') return 'skipped (no turn; readers of its output see nothing)';
    return `an empty message${behaviour ? '' : ' (default; set `null:` to change)'}`;
}

function sharingText(separate: 'adapter' | 'weights' | undefined): string {
    switch (separate) {
        case 'adapter':
            return 'own adapter on the shared base model';
        case 'weights':
            return 'own copy of the weights';
        default:
            return 'shared with the other agents on this model';
    }
}

/** The prompt text with its holes written back as `{{...}}`, cut to a preview length. */
export function promptPreview(template: Template, limit = 300): string {
    const holes = template.holes.map((hole) => hole.$cstNode?.text ?? '');
    const text = template.parts.map((part, i) => part + (i < holes.length ? `{{${holes[i]}}}` : '')).join('');
    return text.length > limit ? `${text.slice(0, limit)}…` : text;
}

function modelMarkdown(model: Model): string {
    const lines = [`**model** \`${model.name}\``, ''];
    const source = model.source;
    if (isHfSource(source)) {
        lines.push(`- source: Hugging Face \`${source.id}\``);
    } else if (isScratchSource(source)) {
        lines.push(
            `- source: scratch(${argsText(source.args)}) — small random-initialised transformer, character tokenizer`,
        );
    } else if (isOpenAiSource(source)) {
        lines.push(`- source: OpenAI-compatible endpoint ${source.url}, model \`${source.modelName}\``);
        lines.push(...apiModelLines(model));
        return lines.join('\n');
    } else {
        lines.push('- source: not set');
    }
    lines.push(`- adapter: ${adapterText(model.adapter)}`);
    const scratch = isScratchSource(source);
    lines.push(
        `- prompts: ${scratch ? 'raw text' : (model.format ?? 'chat when the tokenizer has a chat template, else raw')}`,
    );
    if (model.dtype) lines.push(`- dtype: ${model.dtype}`);
    if (model.attention) lines.push(`- attention: ${model.attention}`);
    if (model.gradientCheckpointing === 'true') lines.push('- gradient checkpointing: on');
    return lines.join('\n');
}

/** An API model: never trained, its key read from the environment at run time (never shown here). */
function apiModelLines(model: Model): string[] {
    const d = API_MODEL_DEFAULTS;
    return [
        '- agents on it act in rollouts and are always frozen (no training credit); its outputs are not reproducible',
        `- key: ${model.keyEnv ? `read from the environment variable \`${model.keyEnv}\` at run time` : 'none sent'}`,
        `- timeout ${model.timeout ?? d.timeout} s per call, ${model.retries ?? d.retries} retries, ` +
            `${model.concurrency ?? d.concurrency} calls at once`,
        '- allowed in an untrusted workspace: it runs no workspace code, but the trainer sends prompts to this URL',
    ];
}

function adapterText(adapter: Adapter | undefined): string {
    if (!adapter) {
        return 'none (full fine-tuning)';
    }
    return adapter.kind === 'lora' ? `LoRA(${argsText(adapter.args)})` : 'none (full fine-tuning)';
}

function argsText(args: readonly NamedArg[]): string {
    return args.map((arg) => arg.$cstNode?.text ?? arg.name).join(', ');
}

function datasetMarkdown(dataset: Dataset): string {
    const fields = dataset.fields.map((field) => `- \`${field.name}\`: \`${field.type}\``);
    return [`**dataset** \`${dataset.name}\` from \`${dataset.path}\``, '', ...fields].join('\n');
}

function criterionMarkdown(criterion: Criterion): string {
    const rubric = criterion.$container;
    const weights = normalizedWeights(rubric);
    const index = rubric.criteria.indexOf(criterion);
    const normalized = weights?.[index];
    const lines = [
        `**${criterion.judge ? 'judge' : 'criterion'}** \`${criterion.name}\` of rubric \`${rubric.name}\``,
        '',
        `- weight: ${criterion.weight}`,
    ];
    if (criterion.judge) lines.push(...judgeLines(criterion.judge));
    if (normalized !== undefined) {
        lines.push(
            `- normalized weight: ${formatWeight(normalized)} (weights sum to ${formatWeight(weightSum(rubric.criteria))})`,
        );
    }
    return lines.join('\n');
}

/** What a judge criterion asks, and how its answer becomes a score. */
function judgeLines(judge: JudgeBody): string[] {
    const low = judge.low ?? JUDGE_DEFAULTS.low;
    const high = judge.high ?? JUDGE_DEFAULTS.high;
    return [
        `- asks model \`${judge.model?.$refText ?? '?'}\` (frozen), at most ${judge.maxTokens ?? JUDGE_DEFAULTS.maxTokens} tokens, temperature ${judge.temperature ?? JUDGE_DEFAULTS.temperature}`,
        `- score: the first number of the answer in ${low}..${high}, as (x − ${low}) / (${high} − ${low}); none: null (0, counted in \`judge_errors\`)`,
        '- answers are cached in the run directory (`judge-cache/`): re-scoring asks again only for new prompts',
    ];
}

function weightSum(criteria: readonly Criterion[]): number {
    return criteria.reduce((sum, criterion) => sum + (criterion.weight ?? 0), 0);
}

/** A weight with up to `digits` decimals, without trailing zeros: 0.5833 → 0.583 (0.58 with 2), 0.5 → 0.5. */
export function formatWeight(value: number, digits = 3): string {
    const scale = 10 ** digits;
    return String(Math.round(value * scale) / scale);
}
