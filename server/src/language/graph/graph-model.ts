import { basename } from 'node:path';
import { AstUtils, type AstNode, type LangiumDocument, type LangiumDocuments } from 'langium';
import {
    GRAPH_MODEL_VERSION,
    type AgentNode,
    type GraphEdge,
    type GraphMarker,
    type GraphModel,
    type GraphNode,
    type SourceLocation,
} from '../../../../protocol/graph-model.js';
import type { MasDiagnostic, MasRange } from '../../../../protocol/lsp.js';
import {
    isAgent,
    isGraph,
    isHfSource,
    isOpenAiSource,
    isMasFile,
    type Agent,
    type EdgeChain,
    type MasFile,
} from '../generated/ast.js';
import { LORA_PARAMETERS } from '../catalog/training-catalog.js';
import { visibleDocuments } from '../scope/imports.js';
import { diagnosticsOf } from '../workspace/diagnostics.js';
import { withDefaults } from '../catalog/defaults.js';
import { AgentGraph, END, flattenEdges, START, type FlatEdge } from './graph-analysis.js';

/** The stable id of a graph endpoint: `start`, `end` or `agent:<name>`. */
export function nodeId(name: string): string {
    return name === START || name === END ? name : `agent:${name}`;
}

function location(node: AstNode | undefined): SourceLocation | null {
    const range = node?.$cstNode?.range;
    return node && range ? { uri: AstUtils.getDocument(node).uri.toString(), range } : null;
}

function edgeLocation(edge: FlatEdge): SourceLocation | null {
    const from = edge.chain.nodes[edge.index]?.$cstNode?.range;
    const to = edge.chain.nodes[edge.index + 1]?.$cstNode?.range;
    if (!from || !to) return location(edge.chain);
    return { uri: AstUtils.getDocument(edge.chain).uri.toString(), range: { start: from.start, end: to.end } };
}

function agentNode(agent: Agent, reachable: boolean): AgentNode {
    const model = agent.model?.model?.ref; // a broken parse can leave the binding without its reference
    const lora = model?.adapter?.kind === 'lora' ? withDefaults(model.adapter.args, LORA_PARAMETERS) : undefined;
    return {
        id: `agent:${agent.name}`,
        kind: 'agent',
        label: agent.name,
        role: agent.role.ref?.name ?? null,
        roleDescription: agent.role.ref?.description ?? null,
        model: model?.name ?? null,
        modelSource: !model?.source
            ? null
            : isHfSource(model.source)
              ? model.source.id
              : isOpenAiSource(model.source)
                ? `${model.source.modelName} @ ${model.source.url}`
                : 'scratch',
        sharing: agent.model?.separate ?? 'shared',
        // lora(from: ...): rank and alpha come from the adapter folder, so the folder is what identifies it
        adapter: !lora
            ? null
            : typeof lora['from'] === 'string'
              ? `lora(from ${lora['from']})`
              : `lora(rank ${lora['rank']})`,
        // an agent on an API model is always frozen (the compiler sets `frozen` in the RunSpec the same way)
        ...(agent.model?.frozen || isOpenAiSource(model?.source) ? { frozen: true } : {}),
        reachable,
        source: location(agent),
    };
}

/** A single-edge chain carries its `when` and `max`; on longer chains they are an error the validator reports. */
function edgeRules(chain: EdgeChain): { condition: string | null; max: number | null } {
    if (chain.nodes.length !== 2) return { condition: null, max: null };
    return { condition: chain.condition?.$cstNode?.text ?? null, max: chain.max ?? null };
}

function contains(outer: MasRange, inner: MasRange): boolean {
    const before = (a: MasRange['start'], b: MasRange['start']) =>
        a.line < b.line || (a.line === b.line && a.character <= b.character);
    return before(outer.start, inner.start) && before(inner.start, outer.end);
}

/** The node or edge a diagnostic lies in: edges first (they are smaller), then agents. */
function markerTarget(diagnostic: MasDiagnostic, edges: GraphEdge[], nodes: GraphNode[]): string | null {
    const candidates = [...edges, ...nodes.filter((n): n is AgentNode => n.kind === 'agent')];
    const hit = candidates.find(
        (item) => item.source?.uri === diagnostic.uri && contains(item.source.range, diagnostic.range),
    );
    return hit?.id ?? null;
}

/** The graph model of a built document (with its imports): what `mas graph` prints and the graph view draws. */
export function buildGraphModel(document: LangiumDocument, documents: LangiumDocuments): GraphModel {
    const root = document.parseResult.value;
    const uri = document.uri.toString();
    const name = isMasFile(root) && root.workflow ? root.workflow : basename(document.uri.path).replace(/\.mas$/, '');
    if (!isMasFile(root)) {
        return { version: GRAPH_MODEL_VERSION, workflow: name, uri, nodes: [], edges: [], markers: [] };
    }
    const visible = visibleDocuments(root, documents);
    const elements = visible.flatMap((doc) => (doc.parseResult.value as MasFile).elements ?? []);
    const agents = elements.filter(isAgent);
    const graph = elements.find(isGraph);
    const flat = graph ? flattenEdges(graph) : [];
    const analysis = new AgentGraph(
        flat,
        agents.map((a) => a.name),
    );
    const reachable = analysis.reachableFrom(START);
    const cyclic = analysis
        .stronglyConnectedComponents()
        .filter((scc) => scc.length > 1 || analysis.successors.get(scc[0]!)?.includes(scc[0]!));
    const inCycle = (edge: FlatEdge) => cyclic.some((scc) => scc.includes(edge.from) && scc.includes(edge.to));

    const byName = new Map(agents.map((agent) => [agent.name, agent]));
    const nodes: GraphNode[] = [
        { id: 'start', kind: 'start', label: 'start' },
        ...analysis.order().flatMap((n) => (byName.has(n) ? [agentNode(byName.get(n)!, reachable.has(n))] : [])),
        { id: 'end', kind: 'end', label: 'end' },
    ];
    const seen = new Map<string, number>();
    const edges: GraphEdge[] = flat.map((edge) => {
        const from = nodeId(edge.from);
        const to = nodeId(edge.to);
        const key = `${from}->${to}`;
        const n = seen.get(key) ?? 0;
        seen.set(key, n + 1);
        return {
            id: `edge:${key}#${n}`,
            from,
            to,
            ...edgeRules(edge.chain),
            inCycle: inCycle(edge),
            source: edgeLocation(edge),
        };
    });
    const markers: GraphMarker[] = diagnosticsOf(visible).map((diagnostic) => ({
        target: markerTarget(diagnostic, edges, nodes),
        diagnostic,
    }));
    return { version: GRAPH_MODEL_VERSION, workflow: name, uri, nodes, edges, markers };
}
