import { GrammarUtils, type ValidationAcceptor } from 'langium';
import type { Range } from 'vscode-languageserver';
import { closestName } from '../catalog/parameters.js';
import { MODEL_ATTENTIONS, MODEL_DTYPES, MODEL_FORMATS } from '../catalog/model-catalog.js';
import { isScratchSource, type Agent, type Model } from '../generated/ast.js';
import { didYouMean, didYouMeanFix } from './argument-checks.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';

/** The word-valued settings of a model block: AST property, keyword, allowed words. */
const WORD_SETTINGS = [
    { property: 'format', keyword: 'format', values: MODEL_FORMATS },
    { property: 'dtype', keyword: 'dtype', values: MODEL_DTYPES },
    { property: 'attention', keyword: 'attention', values: MODEL_ATTENTIONS },
] as const;

/** `format`, `dtype`, `attention`: known words, and only where they can apply (not on `scratch`, which is raw fp32). */
export function checkModelSettings(model: Model, accept: ValidationAcceptor): void {
    for (const { property, keyword, values } of WORD_SETTINGS) {
        const value = model[property];
        if (value === undefined || (values as readonly string[]).includes(value)) continue;
        const suggestion = closestName(value, values);
        report(
            accept,
            'error',
            IssueCodes.InvalidModelSetting,
            `\`${keyword}\` must be one of ${values.map((v) => `\`${v}\``).join(', ')}, not '${value}'.${didYouMean(suggestion)}`,
            { node: model, property },
            didYouMeanFix(model, property, suggestion),
        );
    }
    if (!isScratchSource(model.source)) return;
    const notForScratch = (property: string, keyword: string, severity: 'error' | 'warning', why: string) =>
        report(
            accept,
            severity,
            IssueCodes.SettingNotForScratch,
            `\`${keyword}: ${String(model[property as keyof Model])}\` ${why}; remove it or use an \`hf\` model.`,
            { node: model, property },
            removeFix(model, property, keyword),
        );
    if (model.format === 'chat') {
        notForScratch('format', 'format', 'error', 'cannot apply: a `scratch` model has no chat template (it is raw)');
    }
    if (model.dtype === 'bf16' || model.dtype === 'fp16') {
        notForScratch('dtype', 'dtype', 'warning', 'is ignored: `scratch` models train in fp32');
    }
    if (model.attention !== undefined) {
        notForScratch('attention', 'attention', 'warning', 'is ignored: `scratch` models use the default attention');
    }
}

/** `top_p` in (0, 1], `top_k` a whole number ≥ 0; `system` on an agent whose model is raw does nothing. */
export function checkAgentSamplingSettings(agent: Agent, accept: ValidationAcceptor): void {
    if (agent.topP !== undefined && !(agent.topP > 0 && agent.topP <= 1)) {
        report(
            accept,
            'error',
            IssueCodes.InvalidAgentSetting,
            `\`top_p\` must be greater than 0 and at most 1 (1 keeps every token), not ${agent.topP}; write for example \`top_p: 0.95\`.`,
            { node: agent, property: 'topP' },
        );
    }
    if (agent.topK !== undefined && !Number.isInteger(agent.topK)) {
        report(
            accept,
            'error',
            IssueCodes.InvalidAgentSetting,
            `\`top_k\` must be a whole number (0 keeps every token), not ${agent.topK}; write for example \`top_k: 50\`.`,
            { node: agent, property: 'topK' },
        );
    }
    const model = agent.model?.model?.ref; // a broken parse can leave the binding without its reference
    if (agent.system === undefined || !model) return;
    const raw = isScratchSource(model.source)
        ? 'a `scratch` model (raw text)'
        : model.format === 'raw'
          ? '`format: raw`'
          : undefined;
    if (raw) {
        report(
            accept,
            'warning',
            IssueCodes.SystemMessageIgnored,
            `\`system\` is ignored: the model '${model.name}' is ${raw}, so prompts carry no system message; remove it, or use an \`hf\` model with a chat template.`,
            { node: agent, property: 'system' },
            removeFix(agent, 'system', 'system'),
        );
    }
}

/** "Remove `key: value`": from the property's keyword to the end of its value. */
function removeFix(node: Model | Agent, property: string, keyword: string): QuickFix[] {
    const value = GrammarUtils.findNodeForProperty(node.$cstNode, property)?.range;
    const key = GrammarUtils.findNodeForKeyword(node.$cstNode, keyword)?.range;
    if (!value || !key) return [];
    const range: Range = { start: key.start, end: value.end };
    return [{ title: `Remove \`${keyword}\``, edits: [{ range, newText: '' }], preferred: true }];
}
