import { CompletionItemKind, SymbolKind } from 'vscode-languageserver';
import {
    Agent,
    Criterion,
    Dataset,
    DatasetField,
    EdgeChain,
    Graph,
    Model,
    Role,
    Rubric,
    Reward,
    Train,
    TrainSetting,
    Verifier,
} from '../generated/ast.js';

/**
 * How each kind of declaration shows in the outline and in completion lists. One table so the
 * icon of an agent is the same in both places.
 */
const KINDS: Record<string, [SymbolKind, CompletionItemKind]> = {
    [Dataset.$type]: [SymbolKind.Struct, CompletionItemKind.Struct],
    [DatasetField.$type]: [SymbolKind.Field, CompletionItemKind.Field],
    [Model.$type]: [SymbolKind.Class, CompletionItemKind.Class],
    [Role.$type]: [SymbolKind.Interface, CompletionItemKind.Interface],
    [Agent.$type]: [SymbolKind.Object, CompletionItemKind.Variable],
    [Graph.$type]: [SymbolKind.Namespace, CompletionItemKind.Module],
    [EdgeChain.$type]: [SymbolKind.Event, CompletionItemKind.Event],
    [Rubric.$type]: [SymbolKind.Function, CompletionItemKind.Function],
    [Criterion.$type]: [SymbolKind.Property, CompletionItemKind.Property],
    [Reward.$type]: [SymbolKind.Event, CompletionItemKind.Event],
    [Train.$type]: [SymbolKind.Package, CompletionItemKind.Module],
    [TrainSetting.$type]: [SymbolKind.Property, CompletionItemKind.Property],
    [Verifier.$type]: [SymbolKind.Function, CompletionItemKind.Function],
};

export function symbolKindOf(type: string): SymbolKind {
    return KINDS[type]?.[0] ?? SymbolKind.Field;
}

export function completionKindOf(type: string): CompletionItemKind {
    return KINDS[type]?.[1] ?? CompletionItemKind.Reference;
}
