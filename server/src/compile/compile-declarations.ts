import { dirname, resolve } from 'node:path';
import { AstUtils } from 'langium';
import type { AgentSpec, DatasetSpec, ModelSpec, RoleSpec } from '../../../protocol/run-spec.js';
import {
    isHfSource,
    isOpenAiSource,
    type Agent,
    type Dataset,
    type Model,
    type Role,
} from '../language/generated/ast.js';
import { LORA_PARAMETERS, SCRATCH_PARAMETERS } from '../language/catalog/training-catalog.js';
import { API_MODEL_DEFAULTS, DEFAULT_MAX_TOKENS, withDefaults } from '../language/catalog/defaults.js';
import { compileTemplate, CompileInvariantError } from './compile-expression.js';

export function compileDataset(dataset: Dataset): DatasetSpec {
    const declaringFile = AstUtils.getDocument(dataset).uri.fsPath;
    return {
        name: dataset.name,
        path: resolve(dirname(declaringFile), dataset.path),
        declared_path: dataset.path,
        fields: dataset.fields.map((field) => ({ name: field.name, type: field.type })),
    };
}

export function compileModel(model: Model): ModelSpec {
    if (!model.source) throw new CompileInvariantError(`The model "${model.name}" has no \`from:\`.`);
    const source: ModelSpec['source'] = isHfSource(model.source)
        ? { kind: 'hf', id: model.source.id }
        : isOpenAiSource(model.source)
          ? {
                kind: 'openai',
                url: model.source.url,
                model: model.source.modelName,
                // the variable's name only: the key is read by the trainer at run time and never compiled
                key_env: model.keyEnv ?? null,
                timeout: model.timeout ?? API_MODEL_DEFAULTS.timeout,
                retries: model.retries ?? API_MODEL_DEFAULTS.retries,
                concurrency: model.concurrency ?? API_MODEL_DEFAULTS.concurrency,
            }
          : ({ kind: 'scratch', ...withDefaults(model.source.args, SCRATCH_PARAMETERS) } as ModelSpec['source']);
    const lora = model.adapter?.kind === 'lora' ? withDefaults(model.adapter.args, LORA_PARAMETERS) : undefined;
    if (typeof lora?.['from'] === 'string') {
        // like a dataset's path: relative to the file that declares the model, absolute in the spec
        lora['from'] = resolve(dirname(AstUtils.getDocument(model).uri.fsPath), lora['from']);
    }
    const adapter: ModelSpec['adapter'] = lora ? ({ kind: 'lora', ...lora } as ModelSpec['adapter']) : null;
    return {
        name: model.name,
        source,
        adapter,
        // The validator has checked the words (model-setting-checks.ts); absent settings get their defaults here.
        format: (model.format as ModelSpec['format']) ?? null,
        dtype: (model.dtype as ModelSpec['dtype']) ?? 'auto',
        attention: (model.attention as ModelSpec['attention']) ?? null,
        gradient_checkpointing: model.gradientCheckpointing === 'true',
    };
}

export function compileRole(role: Role): RoleSpec {
    return { name: role.name, description: role.description ?? '' };
}

export function compileAgent(agent: Agent, defaultTemperature: number): AgentSpec {
    const model = agent.model?.model.ref;
    if (!model) throw new CompileInvariantError(`The agent "${agent.name}" has no model.`);
    const role = agent.role.ref;
    if (!role) throw new CompileInvariantError(`The role of agent "${agent.name}" is not resolved.`);
    const behaviour = agent.nullBehaviour;
    return {
        name: agent.name,
        role: role.name,
        model: model.name,
        sharing: agent.model?.separate ?? 'shared',
        prompt: compileTemplate(agent.prompt),
        max_tokens: agent.maxTokens ?? DEFAULT_MAX_TOKENS,
        temperature: agent.temperature ?? defaultTemperature,
        top_p: agent.topP ?? 1,
        top_k: agent.topK ?? 0,
        system: agent.system ?? null,
        stop: agent.stop ?? null,
        null_behaviour:
            behaviour?.text !== undefined
                ? { kind: 'text', text: behaviour.text }
                : behaviour?.kind === 'skip'
                  ? { kind: 'skip' }
                  : { kind: 'empty' },
        // an API model is never trained: its agents are frozen whether declared so or not
        frozen: (agent.model?.frozen ?? false) || isOpenAiSource(model.source),
    };
}
