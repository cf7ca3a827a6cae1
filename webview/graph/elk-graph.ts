import type { ElkExtendedEdge, ElkLabel, ElkNode } from 'elkjs/lib/elk-api.js';
import type { AgentNode, GraphEdge, GraphMarker, GraphModel, GraphNode } from '../../protocol/graph-model.js';
import type { MasSeverity } from '../../protocol/lsp.js';

/**
 * Graph model → ELK graph: pure, so the sizes and labels are unit-tested without a browser. Text widths
 * come from `measure` (a canvas in the webview, a fixed-width estimate in tests).
 */

export type Measure = (text: string, font: 'title' | 'body') => number;

export const LINE_HEIGHT = { title: 18, body: 16 } as const;
const PADDING = { x: 12, y: 8 };
const TERMINAL_SIZE = { width: 64, height: 28 };
/** Long conditions are clipped on the canvas; the full text stays in the edge's tooltip. */
export const MAX_LABEL_CHARS = 60;
export const MAX_NODE_TEXT_CHARS = 48;

export const LAYOUT_OPTIONS: Record<string, string> = {
    'elk.algorithm': 'layered',
    'elk.direction': 'DOWN',
    'elk.edgeRouting': 'ORTHOGONAL',
    // Back edges are those against the order of the children (see flowOrder), so a revision loop
    // `verifier -> solver` is drawn going up instead of pushing the verifier above the solver.
    'elk.layered.cycleBreaking.strategy': 'MODEL_ORDER',
    'elk.layered.spacing.nodeNodeBetweenLayers': '48',
    'elk.spacing.nodeNode': '32',
    'elk.spacing.edgeLabel': '4',
    'elk.layered.spacing.edgeNodeBetweenLayers': '16',
    'elk.edgeLabels.inline': 'false',
    'elk.padding': '[top=16,left=16,bottom=16,right=16]',
};

export interface NodeText {
    title: string;
    lines: string[];
}

function clipText(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** How an agent's model is used: the sharing mode and the adapter, in words. */
export function sharingText(node: AgentNode): string {
    const model = node.model ?? 'no model';
    // A frozen agent never trains: no sharing mode matters, and on a LoRA model it acts with the adapter disabled.
    if (node.frozen === true)
        return [model, 'frozen', node.adapter === null ? null : 'adapter off'].filter(Boolean).join(' · ');
    const mode = node.sharing === 'adapter' ? 'own adapter' : node.sharing === 'weights' ? 'own weights' : 'shared';
    return [model, mode, node.adapter].filter((part) => part !== null && part !== '').join(' · ');
}

/** The text lines drawn in a node box. */
export function nodeText(node: GraphNode): NodeText {
    if (node.kind !== 'agent') return { title: node.label, lines: [] };
    const lines = [node.role ? `role ${node.role}` : 'no role', sharingText(node)];
    return {
        title: clipText(node.label, MAX_NODE_TEXT_CHARS),
        lines: lines.map((l) => clipText(l, MAX_NODE_TEXT_CHARS)),
    };
}

/** The label drawn on an edge: its condition and loop bound; null for a plain edge. */
export function edgeLabel(edge: GraphEdge): string | null {
    const parts: string[] = [];
    if (edge.condition) parts.push(`when ${clipText(edge.condition, MAX_LABEL_CHARS)}`);
    if (edge.max !== null) parts.push(`max ${edge.max}`);
    return parts.length ? parts.join('  ') : null;
}

const SEVERITY_RANK: Record<MasSeverity, number> = { error: 3, warning: 2, info: 1, hint: 0 };

/** The worst diagnostic severity per node/edge id (markers with no target are listed separately). */
export function worstSeverity(markers: readonly GraphMarker[]): Map<string, MasSeverity> {
    const worst = new Map<string, MasSeverity>();
    for (const { target, diagnostic } of markers) {
        if (target === null) continue;
        const current = worst.get(target);
        if (!current || SEVERITY_RANK[diagnostic.severity] > SEVERITY_RANK[current])
            worst.set(target, diagnostic.severity);
    }
    return worst;
}

export interface ElkConversion {
    graph: ElkNode;
    /** Edges left out because an endpoint is not a node of the model (with the reason, for the view). */
    dropped: { id: string; reason: string }[];
}

function nodeSize(node: GraphNode, measure: Measure): { width: number; height: number } {
    if (node.kind !== 'agent')
        return { ...TERMINAL_SIZE, width: Math.max(TERMINAL_SIZE.width, measure(node.label, 'title') + 2 * PADDING.x) };
    const text = nodeText(node);
    const width = Math.max(measure(text.title, 'title'), ...text.lines.map((l) => measure(l, 'body')));
    return {
        width: Math.ceil(width + 2 * PADDING.x),
        height: LINE_HEIGHT.title + text.lines.length * LINE_HEIGHT.body + 2 * PADDING.y,
    };
}

/**
 * The nodes in the order the workflow runs them: breadth-first from `start` along the edges as written,
 * then nodes no path reaches (in model order), `end` last.
 */
export function flowOrder(model: GraphModel): GraphNode[] {
    const byId = new Map<string, GraphNode>(model.nodes.map((n) => [n.id, n]));
    const next = new Map<string, string[]>();
    for (const edge of model.edges) next.get(edge.from)?.push(edge.to) ?? next.set(edge.from, [edge.to]);
    const seen = new Set<string>();
    const queue = byId.has('start') ? ['start'] : [];
    for (let i = 0; i < queue.length; i++) {
        const id = queue[i]!;
        if (seen.has(id)) continue;
        seen.add(id);
        for (const to of next.get(id) ?? []) if (byId.has(to) && !seen.has(to) && to !== 'end') queue.push(to);
    }
    const ordered = [...seen].map((id) => byId.get(id)!);
    const rest = model.nodes.filter((n) => !seen.has(n.id) && n.id !== 'end');
    const end = model.nodes.filter((n) => n.id === 'end');
    return [...ordered, ...rest, ...end];
}

export function toElkGraph(model: GraphModel, measure: Measure): ElkConversion {
    const ids = new Set<string>(model.nodes.map((n) => n.id));
    const children: ElkNode[] = flowOrder(model).map((node) => ({ id: node.id, ...nodeSize(node, measure) }));
    const dropped: ElkConversion['dropped'] = [];
    const edges: ElkExtendedEdge[] = [];
    for (const edge of model.edges) {
        const missing = [edge.from, edge.to].find((end) => !ids.has(end));
        if (missing !== undefined) {
            dropped.push({
                id: edge.id,
                reason: `edge ${edge.from} -> ${edge.to} names ${missing}, which is not in the graph`,
            });
            continue;
        }
        const text = edgeLabel(edge);
        const labels: ElkLabel[] =
            text === null
                ? []
                : [
                      {
                          id: `${edge.id}:label`,
                          text,
                          width: Math.ceil(measure(text, 'body')) + 4,
                          height: LINE_HEIGHT.body,
                      },
                  ];
        edges.push({ id: edge.id, sources: [edge.from], targets: [edge.to], labels });
    }
    return { graph: { id: 'root', layoutOptions: LAYOUT_OPTIONS, children, edges }, dropped };
}

/** A measure for tests and for a page without canvas: a fixed average character width. */
export function fixedWidthMeasure(charWidth = 7): Measure {
    return (text, font) => text.length * (font === 'title' ? charWidth + 1 : charWidth);
}
