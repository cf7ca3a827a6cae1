import {
    CstUtils,
    GrammarAST,
    GrammarUtils,
    type AstNode,
    type CstNode,
    type LangiumDocument,
    type MaybePromise,
} from 'langium';
import { AstNodeHoverProvider } from 'langium/lsp';
import type { Hover, HoverParams } from 'vscode-languageserver';
import {
    isAgent,
    isModel,
    isAdapter,
    isContextRef,
    isEndNode,
    isHfSource,
    isOpenAiSource,
    isJudgeBody,
    isMethodCall,
    isModelBinding,
    isNamedArg,
    isOutputRef,
    isReward,
    isScratchSource,
    isStartNode,
    isStopWhen,
    isTaskFieldRef,
    isTrain,
    isTrainSetting,
    type Agent,
    type Model,
    type StopWhen,
} from '../generated/ast.js';
import { findMethod } from '../catalog/parameters.js';
import { agentSettingInfo, modelSettingInfo } from '../catalog/model-catalog.js';
import { LORA_PARAMETERS, SCRATCH_PARAMETERS, STOP_WHEN_DOC, STOP_WHEN_METRICS } from '../catalog/training-catalog.js';
import type { MasServices } from '../mas-module.js';
import { methodMarkdown, methodsForSetting, parameterMarkdown, parametersAround, settingInfo } from './catalog-docs.js';
import { declarationMarkdown, FROZEN_DOC } from './hover-content.js';

/**
 * Hover documentation. Declarations and references (also inside `{{...}}` template holes) show
 * what they declare (roles, agents, models, datasets, fields, criteria); words of the training
 * catalogue (credit methods, algorithms, setting keys, call arguments) show its documentation,
 * formulas included.
 */
export class MasHoverProvider extends AstNodeHoverProvider {
    constructor(services: MasServices) {
        super(services);
    }

    override async getHoverContent(document: LangiumDocument, params: HoverParams): Promise<Hover | undefined> {
        const root = document.parseResult.value.$cstNode;
        const leaf = root && CstUtils.findLeafNodeAtOffset(root, document.textDocument.offsetAt(params.position));
        const markdown = leaf && catalogMarkdown(leaf);
        if (leaf && markdown) {
            return { contents: { kind: 'markdown', value: markdown }, range: leaf.range };
        }
        return super.getHoverContent(document, params);
    }

    protected getAstNodeHoverContent(node: AstNode): MaybePromise<string | undefined> {
        return declarationMarkdown(node);
    }
}

/** Documentation of a catalogue word or a language keyword under the cursor, if it is one. */
function catalogMarkdown(leaf: CstNode): string | undefined {
    const node = leaf.astNode;
    const isFirstToken = leaf.offset === node.$cstNode?.offset;
    if (isMethodCall(node) && isFirstToken && isTrainSetting(node.$container)) {
        const key = node.$container.key;
        const method = findMethod(methodsForSetting(key), node.name);
        if (method) {
            return methodMarkdown(method, key === 'credit' ? 'credit method' : 'algorithm');
        }
        const setting = settingInfo(key);
        return setting?.values?.includes(node.name)
            ? `\`${node.name}\` — value of \`${key}\`\n\n${parameterMarkdown(setting)}`
            : undefined;
    }
    if (isNamedArg(node) && isFirstToken) {
        const parameter = parametersAround(node)?.find((p) => p.name === node.name);
        return parameter && parameterMarkdown(parameter);
    }
    if (isTrainSetting(node) && isFirstToken) {
        const setting = settingInfo(node.key);
        return setting && `**${setting.name}** — train setting\n\n${parameterMarkdown(setting)}`;
    }
    if (isStopWhen(node)) {
        return stopWhenMarkdown(node, leaf.text, isFirstToken);
    }
    if (isTrain(node) && (leaf.text === 'dataset' || leaf.text === 'critic')) {
        return leaf.text === 'dataset'
            ? '**dataset** — the data set whose rows are the training tasks (`task.<field>` reads them).'
            : '**critic** — the model that learns the value function of `critic` credit.';
    }
    if (isModel(node) || isAgent(node)) {
        return declarationSettingMarkdown(node, leaf);
    }
    if (isJudgeBody(node) && GrammarAST.isKeyword(leaf.grammarSource)) {
        return JUDGE_WORDS[leaf.text];
    }
    return keywordMarkdown(node, leaf.text, isFirstToken);
}

/** `stop_when` itself, or its metric: what the trainer compares each step. */
function stopWhenMarkdown(node: StopWhen, word: string, isFirstToken: boolean): string | undefined {
    if (isFirstToken) return STOP_WHEN_DOC;
    if (word !== node.metric) return undefined;
    const metric = STOP_WHEN_METRICS.find((candidate) => candidate.name === word);
    if (metric) return `**${metric.name}** — stop_when metric\n\n${metric.doc}`;
    return `**${word}** — stop_when metric: the per-step mean score of the reward rubric's criterion \`${word}\`.`;
}

/** Words of the language whose meaning is not obvious from the AST node they belong to. */
function keywordMarkdown(node: AstNode, word: string, isFirstToken: boolean): string | undefined {
    if (isScratchSource(node) && isFirstToken) {
        return [
            '**scratch** — a small random-initialised transformer with a character tokenizer: runs on a CPU with no download.',
            '',
            'Parameters:',
            ...SCRATCH_PARAMETERS.map((p) => `- ${parameterMarkdown(p)}`),
        ].join('\n');
    }
    if (isAdapter(node) && isFirstToken && node.kind === 'lora') {
        return [
            '**lora** — a LoRA adapter: only low-rank updates of the weights are trained.',
            '',
            'Parameters:',
            ...LORA_PARAMETERS.map((p) => `- ${parameterMarkdown(p)}`),
        ].join('\n');
    }
    if (isOpenAiSource(node) && isFirstToken) {
        return [
            '**openai** — a model served by an OpenAI-compatible chat endpoint (`/v1/chat/completions`): `openai "<url>" name "<model>"`.',
            'Agents on it act in rollouts and are always frozen; no weights are loaded. Settings: `key: env "VAR"` (the variable holding the key, read at run time), `timeout` (seconds per call), `retries`, `concurrency`.',
            'Allowed in an untrusted workspace (it runs no workspace code), but the trainer sends prompts to this URL.',
        ].join('\n\n');
    }
    if (isHfSource(node) && isFirstToken) {
        return '**hf** — any causal language model from Hugging Face transformers (hub id or local directory).';
    }
    if (isOutputRef(node) && word === 'output') {
        return `**output** — the latest message of agent \`${node.agent?.$refText ?? '?'}\` in this trajectory.`;
    }
    if (isStartNode(node) || isEndNode(node)) {
        return node.kind === 'start'
            ? '**start** — where every trajectory begins; its edges lead to the first agent.'
            : '**end** — where a trajectory stops; the rubric then scores it.';
    }
    if (isContextRef(node)) {
        return CONTEXT_WORDS[node.name];
    }
    if (isReward(node) && word === node.level) {
        return LEVEL_WORDS[node.level];
    }
    if (isModelBinding(node) && word === 'frozen') {
        return FROZEN_DOC;
    }
    if (isTaskFieldRef(node) && word === 'task') {
        return '**task** — the current row of the training data set; `task.<field>` reads one of its fields.';
    }
    return undefined;
}

/**
 * A setting keyword of a model or agent block (`dtype`, `top_p`) or a word value of a model setting (`bf16`).
 * Declaration names are left to the declaration hover.
 */
function declarationSettingMarkdown(node: Model | Agent, leaf: CstNode): string | undefined {
    const word = leaf.text;
    if (GrammarAST.isKeyword(leaf.grammarSource)) {
        const setting = isModel(node) ? modelSettingInfo(word) : agentSettingInfo(word);
        const what = isModel(node) ? 'model' : 'agent';
        return setting && `**${setting.name}** — ${what} setting\n\n${parameterMarkdown(setting)}`;
    }
    if (!isModel(node)) return undefined;
    const owner = (['format', 'dtype', 'attention'] as const).find(
        (key) => node[key] === word && GrammarUtils.findNodeForProperty(node.$cstNode, key)?.offset === leaf.offset,
    );
    const info = owner && modelSettingInfo(owner);
    return info && `\`${word}\` — value of \`${owner}\`\n\n${parameterMarkdown(info)}`;
}

/** The decision being scored, in per-turn and per-agent rewards and debugger conditions. */
const CONTEXT_WORDS: Record<string, string> = {
    output: '**output** — the message of the decision being scored.',
    agent: '**agent** — the name of the agent whose decision is being scored.',
    turn: '**turn** — the index of the turn being scored (0 for the first).',
};

const LEVEL_WORDS: Record<string, string> = {
    trajectory: '**per trajectory** — the rubric scores the whole trajectory once; credit methods split it.',
    turn: '**per turn** — the rubric scores every turn (`output`, `agent` and `turn` name the decision).',
    agent: "**per agent** — the rubric scores each agent's last message.",
};

/** The settings of a judge criterion's block. */
const JUDGE_WORDS: Record<string, string> = {
    model: '**model** — the frozen model the judge asks: a model no agent trains with full weights (a LoRA model is asked with its adapters off).',
    prompt: "**prompt** — the judge's user message, with `{{task.field}}` and `{{agent.output}}` holes like an agent's prompt.",
    scale: '**scale** — `lo..hi`: the score is the first number of the answer in this range, normalised to 0..1; no such number scores null.',
    max_tokens: '**max_tokens** — the longest answer the judge may write (default 16): a score needs few tokens.',
    temperature: '**temperature** — sampling temperature of the judge (default 0: greedy).',
};
