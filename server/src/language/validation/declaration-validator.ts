import { AstUtils, GrammarUtils, type AstNode, type ValidationAcceptor } from 'langium';
import {
    isHfSource,
    isScratchSource,
    type Agent,
    type Model,
    type ModelBinding,
    type NamedArg,
} from '../generated/ast.js';
import { LORA_PARAMETERS, SCRATCH_PARAMETERS } from '../catalog/training-catalog.js';
import { checkArguments } from './argument-checks.js';
import { checkApiModel } from './api-model-checks.js';
import { checkAgentSamplingSettings, checkModelSettings } from './model-setting-checks.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes } from './issue-codes.js';
import { propertyNodes } from './property-nodes.js';
import { report } from './report.js';

/** The properties of an agent block and how they are written. */
const AGENT_PROPERTIES: Record<string, string> = {
    model: 'model',
    prompt: 'prompt',
    maxTokens: 'max_tokens',
    temperature: 'temperature',
    topP: 'top_p',
    topK: 'top_k',
    system: 'system',
    stop: 'stop',
    nullBehaviour: 'null',
};
const MODEL_PROPERTIES: Record<string, string> = {
    source: 'from',
    adapter: 'adapter',
    format: 'format',
    dtype: 'dtype',
    attention: 'attention',
    gradientCheckpointing: 'gradient_checkpointing',
};

/** The adapter the "add a LoRA adapter" fix writes: the catalogue's defaults. */
const DEFAULT_LORA = `lora(rank: ${LORA_PARAMETERS.find((p) => p.name === 'rank')?.default ?? 8}, alpha: ${LORA_PARAMETERS.find((p) => p.name === 'alpha')?.default ?? 16})`;

/**
 * Reports every property given more than once in a block. The grammar accepts repeats (the AST keeps
 * only the last value), so they are found in the concrete syntax tree.
 */
export function checkRepeatedProperties(
    node: AstNode,
    properties: Record<string, string>,
    what: string,
    accept: ValidationAcceptor,
): void {
    const assigned = propertyNodes(node);
    for (const [property, keyword] of Object.entries(properties)) {
        for (const occurrence of (assigned.get(property) ?? []).slice(1)) {
            report(
                accept,
                'error',
                IssueCodes.DuplicateProperty,
                `${what} sets \`${keyword}\` more than once (only the last value would count); remove the extra \`${keyword}:\`.`,
                { node, range: occurrence.range },
            );
        }
    }
}

/** Agents and models: required properties, value ranges, scratch and LoRA parameters, weight sharing. */
export class DeclarationValidator {
    checkAgent(agent: Agent, accept: ValidationAcceptor): void {
        const what = `The agent '${agent.name}'`;
        checkRepeatedProperties(agent, AGENT_PROPERTIES, what, accept);
        if (!agent.model) {
            report(
                accept,
                'error',
                IssueCodes.MissingProperty,
                `${what} has no model; add \`model: <model name>\` to its block.`,
                { node: agent, property: 'name' },
            );
        }
        if (!agent.prompt) {
            report(
                accept,
                'error',
                IssueCodes.MissingProperty,
                `${what} has no prompt; add \`prompt: "..."\` to its block.`,
                { node: agent, property: 'name' },
            );
        }
        if (agent.maxTokens !== undefined && !(Number.isInteger(agent.maxTokens) && agent.maxTokens > 0)) {
            report(
                accept,
                'error',
                IssueCodes.InvalidAgentSetting,
                `\`max_tokens\` must be a positive whole number, not ${agent.maxTokens}; write for example \`max_tokens: 128\`.`,
                { node: agent, property: 'maxTokens' },
            );
        }
        if (agent.temperature !== undefined && !(agent.temperature >= 0)) {
            report(
                accept,
                'error',
                IssueCodes.InvalidAgentSetting,
                `\`temperature\` must be 0 or more (0 is greedy decoding), not ${agent.temperature}.`,
                { node: agent, property: 'temperature' },
            );
        }
        checkAgentSamplingSettings(agent, accept);
    }

    checkModel(model: Model, accept: ValidationAcceptor): void {
        const what = `The model '${model.name}'`;
        checkRepeatedProperties(model, MODEL_PROPERTIES, what, accept);
        const source = model.source;
        if (!source) {
            report(
                accept,
                'error',
                IssueCodes.MissingProperty,
                `${what} does not say where it comes from; add \`from: hf "<hub id or path>"\` or \`from: scratch(layers: 2, hidden: 64, vocab: chars)\`.`,
                { node: model, property: 'name' },
            );
        } else if (isHfSource(source) && !source.id?.trim()) {
            report(
                accept,
                'error',
                IssueCodes.EmptyModelId,
                `${what} has an empty Hugging Face id; write a hub id such as "Qwen/Qwen2.5-0.5B-Instruct" or a local directory.`,
                { node: source, property: 'id' },
            );
        } else if (isScratchSource(source)) {
            checkArguments(source, '`scratch(...)`', source.args, SCRATCH_PARAMETERS, accept);
            this.checkScratchShape(source.args, source, accept);
        }
        if (model.adapter?.kind === 'lora') {
            checkArguments(model.adapter, '`lora(...)`', model.adapter.args, LORA_PARAMETERS, accept);
        }
        checkModelSettings(model, accept);
        checkApiModel(model, accept);
    }

    /** Attention heads split the hidden size evenly: `hidden` must be a multiple of `heads`. */
    private checkScratchShape(args: readonly NamedArg[], node: AstNode, accept: ValidationAcceptor): void {
        const numberArg = (name: string) => {
            const value = args.find((arg) => arg.name === name)?.value;
            const given = value && 'value' in value && typeof value.value === 'number' ? value.value : undefined;
            return given ?? (SCRATCH_PARAMETERS.find((p) => p.name === name)?.default as number | undefined);
        };
        const hidden = numberArg('hidden');
        const heads = numberArg('heads');
        if (
            hidden !== undefined &&
            heads !== undefined &&
            Number.isInteger(hidden) &&
            Number.isInteger(heads) &&
            heads > 0 &&
            hidden % heads !== 0
        ) {
            report(
                accept,
                'error',
                IssueCodes.ScratchHeadsMismatch,
                `\`hidden\` (${hidden}) must be a multiple of \`heads\` (${heads}) so that every attention head gets the same width; change one of them (for example \`heads: ${largestDivisorAtMost(hidden, heads)}\`).`,
                { node },
            );
        }
    }

    checkModelBinding(binding: ModelBinding, accept: ValidationAcceptor): void {
        const model = binding.model?.ref;
        // A frozen agent's `... separate` is pointless whatever the model: frozen-checks.ts says so instead.
        if (!model || !binding.separate || binding.frozen) return;
        const hasLora = model.adapter?.kind === 'lora';
        const separateRange = GrammarUtils.findNodeForProperty(binding.$cstNode, 'separate')?.range;
        if (binding.separate === 'adapter' && !hasLora) {
            const fixes: QuickFix[] = [];
            if (separateRange)
                fixes.push({
                    title: 'Use `weights separate` (a full copy of the weights)',
                    edits: [{ range: separateRange, newText: 'weights' }],
                });
            const addAdapter = addLoraFix(model);
            if (addAdapter) fixes.push(addAdapter);
            report(
                accept,
                'error',
                IssueCodes.AdapterWithoutLora,
                `\`adapter separate\` gives this agent its own LoRA adapter, but the model '${model.name}' has no LoRA adapter; add \`adapter: ${DEFAULT_LORA}\` to the model or use \`weights separate\`.`,
                { node: binding, property: 'separate' },
                fixes,
            );
        }
        if (binding.separate === 'weights' && hasLora && isHfSource(model.source)) {
            report(
                accept,
                'warning',
                IssueCodes.WeightsDuplicated,
                `\`weights separate\` copies the full weights of '${model.name}' for this agent although the model has a LoRA adapter; use \`adapter separate\` to give the agent its own adapter on the shared weights.`,
                { node: binding, property: 'separate' },
                separateRange
                    ? [
                          {
                              title: 'Use `adapter separate`',
                              edits: [{ range: separateRange, newText: 'adapter' }],
                              preferred: true,
                          },
                      ]
                    : [],
            );
        }
    }
}

/** "Add a LoRA adapter to model m": replaces `adapter: none`, or adds the property after `from:`. */
function addLoraFix(model: Model): QuickFix | undefined {
    const uri = AstUtils.getDocument(model).uri.toString();
    const title = `Add a LoRA adapter to the model '${model.name}'`;
    if (model.adapter) {
        const range = model.adapter.$cstNode?.range;
        return range ? { title, edits: [{ uri, range, newText: DEFAULT_LORA }] } : undefined;
    }
    const after = model.source?.$cstNode?.range.end ?? GrammarUtils.findNodeForKeyword(model.$cstNode, '{')?.range.end;
    return after
        ? { title, edits: [{ uri, range: { start: after, end: after }, newText: `\n  adapter: ${DEFAULT_LORA}` }] }
        : undefined;
}

function largestDivisorAtMost(value: number, limit: number): number {
    for (let candidate = Math.min(limit, value); candidate > 1; candidate--) {
        if (value % candidate === 0) return candidate;
    }
    return 1;
}
