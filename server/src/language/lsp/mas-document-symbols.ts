import {
    GrammarUtils,
    isCompositeCstNode,
    type AstNode,
    type CstNode,
    type LangiumDocument,
    type MaybePromise,
} from 'langium';
import type { DocumentSymbolProvider } from 'langium/lsp';
import { SymbolKind, type DocumentSymbol, type DocumentSymbolParams } from 'vscode-languageserver';
import {
    isAgent,
    isDataset,
    isGraph,
    isHfSource,
    isModel,
    isReward,
    isRole,
    isRubric,
    isTrain,
    isVerifier,
    type Element,
    type MasFile,
    type Train,
} from '../generated/ast.js';
import { symbolKindOf } from './mas-node-kinds.js';

/**
 * The outline: the workflow, and under it every declaration — datasets with their fields, models,
 * roles, agents, the graph with its edge chains, rubrics with their criteria, rewards and the
 * train block with its settings. Unnamed blocks (graph, train) appear under their keyword.
 */
export class MasDocumentSymbolProvider implements DocumentSymbolProvider {
    getSymbols(document: LangiumDocument, _params: DocumentSymbolParams): MaybePromise<DocumentSymbol[]> {
        const file = document.parseResult.value as MasFile;
        const elements = file.elements.flatMap((element) => this.elementSymbol(element) ?? []);
        const header = file.$cstNode && GrammarUtils.findNodeForProperty(file.$cstNode, 'workflow');
        if (!file.workflow || !header || !file.$cstNode) {
            return elements;
        }
        return [
            {
                name: file.workflow,
                kind: SymbolKind.Module,
                detail: 'workflow',
                range: file.$cstNode.range,
                selectionRange: header.range,
                children: elements,
            },
        ];
    }

    protected elementSymbol(element: Element): DocumentSymbol | undefined {
        if (isDataset(element)) {
            const fields = element.fields.map((field) => symbol(field, field.name, field.type));
            return symbol(element, element.name, element.path, fields);
        }
        if (isModel(element)) {
            const source = isHfSource(element.source)
                ? `hf ${element.source.id}`
                : element.source
                  ? 'scratch'
                  : undefined;
            return symbol(element, element.name, source);
        }
        if (isRole(element)) {
            return symbol(element, element.name, element.description);
        }
        if (isAgent(element)) {
            const role = element.role?.$refText;
            return symbol(element, element.name, element.model?.frozen ? `${role ?? '?'} (frozen)` : role);
        }
        if (isGraph(element)) {
            const chains = element.statements.map((chain) => symbol(chain, chainLabel(chain.$cstNode)));
            return symbol(element, 'graph', undefined, chains);
        }
        if (isRubric(element)) {
            const criteria = element.criteria.map((criterion) =>
                symbol(criterion, criterion.name, `${criterion.judge ? 'judge, ' : ''}weight ${criterion.weight}`),
            );
            return symbol(element, element.name, 'rubric', criteria);
        }
        if (isReward(element)) {
            return symbol(element, element.name, `${element.rubric?.$refText ?? '?'} per ${element.level}`);
        }
        if (isVerifier(element)) {
            return symbol(element, element.name, `verifier from ${element.file ?? '?'}`);
        }
        if (isTrain(element)) {
            const settings = element.settings.map((setting) =>
                symbol(setting, setting.key, setting.value?.$cstNode?.text),
            );
            const references = (['dataset', 'critic'] as const).map((property) => referenceSymbol(element, property));
            return symbol(element, 'train', undefined, [...references, ...settings]);
        }
        return undefined;
    }
}

/** A symbol for a node, selected on its name when it has one, else on its first token. */
function symbol(
    node: AstNode,
    name: string | undefined,
    detail?: string,
    children?: Array<DocumentSymbol | undefined>,
): DocumentSymbol | undefined {
    const cst = node.$cstNode;
    if (!cst || !name) {
        return undefined;
    }
    const nameNode = GrammarUtils.findNodeForProperty(cst, 'name') ?? firstLeaf(cst);
    const kept = children?.filter((child): child is DocumentSymbol => child !== undefined);
    return {
        name,
        detail,
        kind: symbolKindOf(node.$type),
        range: cst.range,
        selectionRange: nameNode.range,
        children: kept && kept.length > 0 ? kept : undefined,
    };
}

/** `dataset: train` / `critic: value` inside a train block, as a property symbol. */
function referenceSymbol(train: Train, property: 'dataset' | 'critic'): DocumentSymbol | undefined {
    const keyword = train.$cstNode && GrammarUtils.findNodeForKeyword(train.$cstNode, property);
    const value = train.$cstNode && GrammarUtils.findNodeForProperty(train.$cstNode, property);
    if (!keyword || !value) {
        return undefined;
    }
    const range = { start: keyword.range.start, end: value.range.end };
    return { name: property, detail: value.text, kind: SymbolKind.Property, range, selectionRange: keyword.range };
}

function firstLeaf(cst: CstNode): CstNode {
    let node = cst;
    while (isCompositeCstNode(node) && node.content.length > 0) {
        node = node.content[0]!;
    }
    return node;
}

/** `start -> planner -> solver` (the condition is left out: the outline is for finding, not reading). */
function chainLabel(cst: CstNode | undefined): string | undefined {
    const text = cst?.text.replace(/\s+/g, ' ');
    return text?.split(/ when | max /)[0];
}
