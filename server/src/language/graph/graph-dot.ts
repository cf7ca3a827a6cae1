import type { GraphModel, GraphNode } from '../../../../protocol/graph-model.js';

/** A DOT string literal: quotes and backslashes escaped, line breaks as DOT's `\n`. */
function quote(text: string): string {
    return `"${text
        .replace(/\\/g, '\\\\')
        .replace(/"/g, '\\"')
        .replace(/\r\n|\r|\n/g, '\\n')}"`;
}

function nodeLine(node: GraphNode): string {
    if (node.kind !== 'agent') {
        return `  ${quote(node.id)} [label=${quote(node.label)}, shape=${node.kind === 'start' ? 'circle' : 'doublecircle'}];`;
    }
    const model = node.model && `${node.model}${node.sharing === 'shared' ? '' : ` (own ${node.sharing})`}`;
    const label = quote([node.label, node.role, model].filter(Boolean).join('\n'));
    const style = node.reachable ? '' : ', style=dashed';
    return `  ${quote(node.id)} [label=${label}, shape=box${style}];`;
}

/** The graph in Graphviz DOT (`mas graph --format dot`): agents as boxes, conditions and bounds on edge labels. */
export function graphToDot(model: GraphModel): string {
    const lines = [`digraph ${quote(model.workflow)} {`, '  rankdir=TB;'];
    for (const node of model.nodes) lines.push(nodeLine(node));
    for (const edge of model.edges) {
        const label = [edge.condition, edge.max !== null ? `max ${edge.max}` : null].filter(Boolean).join(' ');
        const attributes = [label ? `label=${quote(label)}` : null, edge.inCycle ? 'style=dashed' : null].filter(
            Boolean,
        );
        lines.push(
            `  ${quote(edge.from)} -> ${quote(edge.to)}${attributes.length ? ` [${attributes.join(', ')}]` : ''};`,
        );
    }
    lines.push('}');
    return `${lines.join('\n')}\n`;
}
