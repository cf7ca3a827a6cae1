import type { ElkExtendedEdge, ElkNode, ElkPoint } from 'elkjs/lib/elk-api.js';
import type { GraphEdge, GraphMarker, GraphModel, GraphNode } from '../../protocol/graph-model.js';
import { svgElement } from '../common/dom.js';
import { LINE_HEIGHT, nodeText, worstSeverity } from './elk-graph.js';

/**
 * Draws a laid-out ELK graph as SVG. Every string from the document (names, roles, conditions, diagnostic
 * messages) goes in as text nodes; styling is by class, with colours in graph.css from `--vscode-*`.
 * Nodes and edges with a source location are focusable and call `onActivate(id)` on click or Enter.
 */
export function renderGraph(laidOut: ElkNode, model: GraphModel, onActivate: (id: string) => void): SVGSVGElement {
    const width = Math.ceil(laidOut.width ?? 0);
    const height = Math.ceil(laidOut.height ?? 0);
    const svg = svgElement('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', class: 'graph' });
    svg.append(svgElement('title', {}, `Agent graph of ${model.workflow}`), arrowHead());
    const severities = worstSeverity(model.markers);
    const messages = markerMessages(model.markers);
    const edges = new Map(model.edges.map((e) => [e.id, e]));
    const nodes = new Map<string, GraphNode>(model.nodes.map((n) => [n.id, n]));
    const edgeLayer = svgElement('g', { class: 'edges' });
    for (const laid of laidOut.edges ?? []) {
        const edge = edges.get(laid.id);
        if (edge) edgeLayer.append(drawEdge(laid, edge, severities.get(edge.id), messages.get(edge.id), onActivate));
    }
    const nodeLayer = svgElement('g', { class: 'nodes' });
    for (const laid of laidOut.children ?? []) {
        const node = nodes.get(laid.id);
        if (node) nodeLayer.append(drawNode(laid, node, severities.get(node.id), messages.get(node.id), onActivate));
    }
    svg.append(edgeLayer, nodeLayer);
    return svg;
}

function arrowHead(): SVGDefsElement {
    const defs = svgElement('defs');
    const marker = svgElement('marker', {
        id: 'arrow',
        viewBox: '0 0 10 10',
        refX: 10,
        refY: 5,
        markerWidth: 8,
        markerHeight: 8,
        orient: 'auto-start-reverse',
    });
    marker.append(svgElement('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow-head' }));
    defs.append(marker);
    return defs;
}

function markerMessages(markers: readonly GraphMarker[]): Map<string, string[]> {
    const byTarget = new Map<string, string[]>();
    for (const { target, diagnostic } of markers) {
        if (target === null) continue;
        const line = `${diagnostic.severity}: ${diagnostic.message}`;
        byTarget.get(target)?.push(line) ?? byTarget.set(target, [line]);
    }
    return byTarget;
}

function activatable(group: SVGGElement, id: string, label: string, onActivate: (id: string) => void): void {
    group.setAttribute('tabindex', '0');
    group.setAttribute('role', 'button');
    group.setAttribute('aria-label', label);
    group.addEventListener('click', () => onActivate(id));
    group.addEventListener('keydown', (event) => {
        if (event.key === 'Enter' || event.key === ' ') {
            event.preventDefault();
            onActivate(id);
        }
    });
}

function classes(...names: (string | false | undefined)[]): string {
    return names.filter((n): n is string => typeof n === 'string' && n.length > 0).join(' ');
}

function drawNode(
    laid: ElkNode,
    node: GraphNode,
    severity: string | undefined,
    messages: string[] | undefined,
    onActivate: (id: string) => void,
): SVGGElement {
    const x = laid.x ?? 0;
    const y = laid.y ?? 0;
    const width = laid.width ?? 0;
    const height = laid.height ?? 0;
    const agent = node.kind === 'agent' ? node : undefined;
    const group = svgElement('g', {
        class: classes(
            'node',
            `node-${node.kind}`,
            agent && !agent.reachable && 'unreachable',
            agent && `sharing-${agent.sharing}`,
            agent?.frozen === true && 'frozen',
            severity && `marker-${severity}`,
        ),
        'data-id': node.id,
        transform: `translate(${x} ${y})`,
    });
    const tooltip = agent
        ? [
              agent.label,
              agent.roleDescription ?? '',
              agent.modelSource ? `model source: ${agent.modelSource}` : '',
              agent.reachable ? '' : 'not reachable from start',
              ...(messages ?? []),
          ]
        : [node.label, ...(messages ?? [])];
    group.append(svgElement('title', {}, tooltip.filter((l) => l !== '').join('\n')));
    const radius = node.kind === 'agent' ? 4 : height / 2;
    group.append(svgElement('rect', { width, height, rx: radius, ry: radius, class: 'node-box' }));
    const text = nodeText(node);
    if (node.kind !== 'agent') {
        group.append(
            svgElement(
                'text',
                {
                    x: width / 2,
                    y: height / 2,
                    class: 'node-title',
                    'text-anchor': 'middle',
                    'dominant-baseline': 'central',
                },
                text.title,
            ),
        );
    } else {
        let baseline = 8 + LINE_HEIGHT.title - 5;
        group.append(svgElement('text', { x: 12, y: baseline, class: 'node-title' }, text.title));
        text.lines.forEach((line, index) => {
            baseline += LINE_HEIGHT.body;
            group.append(
                svgElement('text', { x: 12, y: baseline, class: index === 1 ? 'node-model' : 'node-role' }, line),
            );
        });
    }
    if (severity)
        group.append(svgElement('circle', { cx: width - 6, cy: 6, r: 5, class: `marker-dot marker-dot-${severity}` }));
    if (agent?.source) activatable(group, node.id, `Go to agent ${agent.label}`, onActivate);
    return group;
}

function pathOf(edge: ElkExtendedEdge): string {
    return (edge.sections ?? [])
        .map((section) => {
            const points: ElkPoint[] = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
            return points.map((p, i) => `${i === 0 ? 'M' : 'L'} ${p.x} ${p.y}`).join(' ');
        })
        .join(' ');
}

function drawEdge(
    laid: ElkExtendedEdge,
    edge: GraphEdge,
    severity: string | undefined,
    messages: string[] | undefined,
    onActivate: (id: string) => void,
): SVGGElement {
    const group = svgElement('g', {
        class: classes(
            'edge',
            edge.condition !== null && 'conditional',
            edge.inCycle && 'in-cycle',
            severity && `marker-${severity}`,
        ),
        'data-id': edge.id,
    });
    const description = [
        `${edge.from} -> ${edge.to}`,
        edge.condition ? `when ${edge.condition}` : '',
        edge.max !== null ? `max ${edge.max}` : '',
        ...(messages ?? []),
    ];
    group.append(svgElement('title', {}, description.filter((l) => l !== '').join('\n')));
    const d = pathOf(laid);
    // A wide transparent stroke under the visible one makes thin edges easy to click.
    group.append(
        svgElement('path', { d, class: 'edge-hit' }),
        svgElement('path', { d, class: 'edge-line', 'marker-end': 'url(#arrow)' }),
    );
    for (const label of laid.labels ?? []) {
        group.append(
            svgElement(
                'text',
                { x: label.x ?? 0, y: (label.y ?? 0) + LINE_HEIGHT.body - 4, class: 'edge-label' },
                label.text ?? '',
            ),
        );
    }
    if (edge.source) activatable(group, edge.id, `Go to edge ${edge.from} to ${edge.to}`, onActivate);
    return group;
}
