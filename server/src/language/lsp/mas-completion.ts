import {
    AstUtils,
    CstUtils,
    EMPTY_STREAM,
    GrammarAST,
    type AstNodeDescription,
    type LangiumDocument,
    type ReferenceInfo,
    type Stream,
} from 'langium';
import {
    type CompletionAcceptor,
    type CompletionContext,
    type CompletionProviderOptions,
    type CompletionValueItem,
} from 'langium/lsp';
import {
    CompletionItemKind,
    CompletionList,
    type CancellationToken,
    type CompletionItem,
    type CompletionParams,
    type Range,
} from 'vscode-languageserver';
import type { ParameterInfo } from '../catalog/parameters.js';
import { STOP_WHEN_DOC, STOP_WHEN_METRICS } from '../catalog/training-catalog.js';
import { agentSettingInfo, modelSettingInfo } from '../catalog/model-catalog.js';
import { isReward, type MasFile } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import { methodMarkdown, methodsForSetting, parameterMarkdown, parametersOfCall, settingInfo } from './catalog-docs.js';
import { findCatalogContext, type CatalogContext } from './completion-context.js';
import { completionWindow, topLevelNodes } from './completion-parse-range.js';
import { agentSnippet } from './declaration-snippets.js';
import { completionKindOf } from './mas-node-kinds.js';
import { WindowedCompletionProvider } from './windowed-completion-provider.js';

/**
 * Completion. Keywords and cross-references — including the `{{task.field}}` and
 * `{{agent.output}}` holes of prompt templates, which the grammar lexes as real references —
 * come from Langium. This class adds what the grammar cannot know: the values and argument names
 * of the training catalogue (`credit: counterfactual(fanout: ...)`) with their documentation.
 */
export class MasCompletionProvider extends WindowedCompletionProvider {
    override readonly completionOptions: CompletionProviderOptions = {
        // `.` after `task`/an agent, the second `{` of `{{`, `(` and `,` in calls, `:` before a value.
        triggerCharacters: ['.', '{', '(', ',', ':'],
    };

    constructor(services: MasServices) {
        super(services);
    }

    override async getCompletion(
        document: LangiumDocument,
        params: CompletionParams,
        cancelToken?: CancellationToken,
    ): Promise<CompletionList | undefined> {
        const offset = document.textDocument.offsetAt(params.position);
        const text = document.textDocument.getText();
        if (this.isInComment(document, offset)) {
            // `:` and `.` are completion triggers; typed in a comment they should not pop up keywords
            return CompletionList.create([], false);
        }
        const context = mayBeCatalogContext(text, offset) ? this.catalogContext(document, text, offset) : undefined;
        const catalogItems =
            context?.kind === 'setting-value' && context.setting === 'stop_when'
                ? stopWhenMetricItems(document)
                : context
                  ? this.catalogItems(context)
                  : undefined;
        if (context && catalogItems) {
            const range: Range = { start: document.textDocument.positionAt(context.wordStart), end: params.position };
            const items = catalogItems.map((item) => ({
                ...item,
                textEdit: { range, newText: item.insertText ?? item.label },
            }));
            return CompletionList.create(items, false);
        }
        return super.getCompletion(document, params, cancelToken);
    }

    /** The catalogue context from the tokens of the cursor's top-level declaration (a call or `train { }` never spans two). */
    protected catalogContext(document: LangiumDocument, text: string, offset: number): CatalogContext | undefined {
        const { start } = completionWindow(topLevelNodes(document.parseResult.value), offset, text.length);
        const context = findCatalogContext(this.lexer.tokenize(text.substring(start, offset)).tokens, offset - start);
        return context && { ...context, wordStart: context.wordStart + start };
    }

    /** True inside a comment (at the end of a line comment too, but not right after a block comment's `*\/`). */
    protected isInComment(document: LangiumDocument, offset: number): boolean {
        const root = document.parseResult.value.$cstNode;
        const before = root && offset > 0 ? CstUtils.findLeafNodeAtOffset(root, offset - 1) : undefined;
        return before?.hidden === true && (offset < before.end || before.text.startsWith('//'));
    }

    /** Catalogue items for the context, or undefined to let Langium complete (e.g. `dataset:` references). */
    protected catalogItems(context: CatalogContext): CompletionItem[] | undefined {
        switch (context.kind) {
            case 'setting-value': {
                if (context.block) {
                    const info = context.block === 'model' ? modelSettingInfo(context.setting) : undefined;
                    return valueItems(info);
                }
                const methods = methodsForSetting(context.setting);
                if (methods.length > 0) {
                    return methods.map((method, index) => ({
                        label: method.name,
                        kind: CompletionItemKind.Function,
                        detail: `${context.setting} — ${method.summary}`,
                        documentation: { kind: 'markdown', value: methodMarkdown(method, context.setting) },
                        sortText: String(index).padStart(3, '0'),
                    }));
                }
                return valueItems(settingInfo(context.setting));
            }
            case 'argument-name': {
                const parameters = parametersOfCall(context.call, context.setting);
                return parameters
                    ?.filter((parameter) => !context.given.includes(parameter.name))
                    .map((parameter, index) => ({
                        label: parameter.name,
                        kind: CompletionItemKind.Property,
                        detail: `${context.call}(${parameter.name}: ${parameter.kind})`,
                        documentation: { kind: 'markdown', value: parameterMarkdown(parameter) },
                        insertText: `${parameter.name}: `,
                        sortText: String(index).padStart(3, '0'),
                    }));
            }
            case 'argument-value': {
                const parameter = parametersOfCall(context.call, context.setting)?.find(
                    (p) => p.name === context.argument,
                );
                return valueItems(parameter);
            }
        }
    }

    /** `task` and `output` read as variables; train setting keywords (`credit`, `steps`...) carry their catalogue documentation. */
    protected override completionForKeyword(
        context: CompletionContext,
        keyword: GrammarAST.Keyword,
        acceptor: CompletionAcceptor,
    ): void {
        const rule = AstUtils.getContainerOfType(keyword, GrammarAST.isParserRule);
        const reference = REFERENCE_KEYWORDS[`${rule?.name}.${keyword.value}`];
        if (reference) {
            acceptor(context, {
                label: keyword.value,
                kind: CompletionItemKind.Variable,
                detail: reference,
                sortText: '0',
            });
            return;
        }
        if (rule?.name === 'Agent' && keyword.value === 'agent') {
            acceptor(context, agentSnippet(context.document.parseResult.value as MasFile));
        }
        if (rule?.name === 'StopWhen' && keyword.value === 'stop_when') {
            acceptor(context, {
                label: keyword.value,
                kind: CompletionItemKind.Property,
                detail: 'train setting: early stopping',
                documentation: { kind: 'markdown', value: STOP_WHEN_DOC },
                sortText: '1',
            });
            return;
        }
        const property = declarationSetting(rule?.name, keyword.value);
        if (property) {
            acceptor(context, {
                label: keyword.value,
                kind: CompletionItemKind.Property,
                detail: `${rule?.name === 'Model' ? 'model' : 'agent'} setting`,
                documentation: { kind: 'markdown', value: parameterMarkdown(property) },
                insertText: `${keyword.value}: `,
                sortText: '1',
            });
            return;
        }
        const setting = rule?.name === 'TrainSetting' ? settingInfo(keyword.value) : undefined;
        if (!setting) {
            super.completionForKeyword(context, keyword, acceptor);
            return;
        }
        acceptor(context, {
            label: keyword.value,
            kind: CompletionItemKind.Property,
            detail: 'train setting',
            documentation: { kind: 'markdown', value: parameterMarkdown(setting) },
            sortText: '1',
        });
    }

    /**
     * After error recovery the parser can leave the node before the cursor out of the AST (no
     * document), or hand over the enclosing template instead of the hole: there is then no scope
     * to offer from, and asking for one would throw.
     */
    protected override getReferenceCandidates(
        refInfo: ReferenceInfo,
        context: CompletionContext,
    ): Stream<AstNodeDescription> {
        const property = this.astReflection.getTypeMetaData(refInfo.container.$type).properties[refInfo.property];
        if (!property?.referenceType || !AstUtils.findRootNode(refInfo.container).$document) {
            return EMPTY_STREAM;
        }
        return super.getReferenceCandidates(refInfo, context);
    }

    /** References get the icon of what they point at (agent, role, model, field...). */
    protected override createReferenceCompletionItem(
        description: AstNodeDescription,
        refInfo: ReferenceInfo,
        context: CompletionContext,
    ): CompletionValueItem {
        return {
            ...super.createReferenceCompletionItem(description, refInfo, context),
            kind: completionKindOf(description.type),
        };
    }
}

/** The catalogue entry of a property keyword of a model or agent block (`dtype`, `top_p`), if it has one. */
function declarationSetting(rule: string | undefined, keyword: string): ParameterInfo | undefined {
    if (rule === 'Model') return modelSettingInfo(keyword);
    if (rule === 'Agent') return agentSettingInfo(keyword);
    return undefined;
}

/** Completion items for the identifier values of a parameter (`device: cuda`, `vocab: chars`). */
function valueItems(parameter: ParameterInfo | undefined): CompletionItem[] | undefined {
    if (!parameter?.values) {
        return undefined;
    }
    return parameter.values.map((value) => ({
        label: value,
        kind: CompletionItemKind.EnumMember,
        detail: `${parameter.name}${value === parameter.default ? ' (default)' : ''}`,
        documentation: { kind: 'markdown', value: parameterMarkdown(parameter) },
    }));
}

/** `stop_when: |`: the metrics every step records, then the criteria of the file's reward rubric. */
function stopWhenMetricItems(document: LangiumDocument): CompletionItem[] {
    const file = document.parseResult.value as MasFile;
    const rubric = file.elements?.find(isReward)?.rubric?.ref; // a half-typed reward has no rubric reference yet
    const criteria = (rubric?.criteria ?? []).filter((criterion) => criterion.name);
    return [
        ...STOP_WHEN_METRICS.map((metric, index) => ({
            label: metric.name,
            kind: CompletionItemKind.Value,
            detail: 'stop_when metric',
            documentation: { kind: 'markdown' as const, value: `${metric.doc}\n\n${STOP_WHEN_DOC}` },
            sortText: String(index).padStart(3, '0'),
        })),
        ...criteria.map((criterion) => ({
            label: criterion.name,
            kind: CompletionItemKind.Field,
            detail: `stop_when metric: criterion of ${rubric!.name} (per-step mean)`,
            sortText: `1${criterion.name}`,
        })),
    ];
}

/** Keywords that read like references in templates and expressions, with what they refer to. */
const REFERENCE_KEYWORDS: Record<string, string> = {
    'TaskFieldRef.task': 'the current data set row: task.<field>',
    'OutputRef.output': 'the latest message of this agent',
};

/** Cheap test before lexing: catalogue contexts follow `:`, `(` or `,` (and maybe a partial word). */
function mayBeCatalogContext(text: string, offset: number): boolean {
    const before = text
        .substring(Math.max(0, offset - 200), offset)
        .replace(/[_a-zA-Z]\w*$/, '')
        .trimEnd();
    return /[:(,]$/.test(before);
}
