import type { CstNode } from 'langium';
import type { EdgeChain, Graph } from '../generated/ast.js';
import type { FlatEdge } from '../graph/graph-analysis.js';
import type { QuickFix } from './diagnostic-data.js';

/** The bound the "add `max`" fix writes: small, so that an unintended loop stays cheap. */
export const DEFAULT_LOOP_BOUND = 3;

/**
 * "Add `max 3`" to an edge of an unbounded loop. A single-edge chain gets ` max 3` at its end; an edge
 * inside a longer chain is split out first, since `max` applies to one edge only.
 */
export function boundLoopFix(edge: FlatEdge): QuickFix | undefined {
    const chain = edge.chain;
    const cst = chain.$cstNode;
    if (!cst) return undefined;
    const title = `Bound the loop: add \`max ${DEFAULT_LOOP_BOUND}\` to \`${edge.from} -> ${edge.to}\``;
    if (chain.nodes.length === 2) {
        return {
            title,
            edits: [{ range: { start: cst.range.end, end: cst.range.end }, newText: ` max ${DEFAULT_LOOP_BOUND}` }],
            preferred: true,
        };
    }
    // Splitting a conditional chain would drop its condition: that chain is an error to fix first.
    if (chain.condition) return undefined;
    const names = chain.nodes.map((node) => node.$cstNode?.text ?? '');
    const segments: string[] = [];
    if (edge.index > 0) segments.push(names.slice(0, edge.index + 1).join(' -> '));
    segments.push(`${names[edge.index]} -> ${names[edge.index + 1]} max ${DEFAULT_LOOP_BOUND}`);
    if (edge.index + 2 < names.length) segments.push(names.slice(edge.index + 1).join(' -> '));
    return { title, edits: [{ range: cst.range, newText: segments.join(`\n${indentOf(cst)}`) }], preferred: true };
}

/** "Add `a -> end`" after the last edge leaving `a`, on its own line with the same indentation. */
export function fallbackEdgeFix(agent: string, lastChain: EdgeChain): QuickFix | undefined {
    return edgeToEndAfter(agent, lastChain, `Add the fallback edge \`${agent} -> end\``, false);
}

/**
 * "Add `a -> end`" for an agent that can never finish: after the last edge leaving it, or else after
 * the graph's last edge, so that the new edge sits with the others.
 */
export function edgeToEndFix(agent: string, graph: Graph, edges: readonly FlatEdge[]): QuickFix | undefined {
    const leaving = edges.filter((edge) => edge.from === agent && edge.chain.$container === graph);
    const anchor = leaving[leaving.length - 1]?.chain ?? graph.statements[graph.statements.length - 1];
    return anchor ? edgeToEndAfter(agent, anchor, `Add the edge \`${agent} -> end\``, true) : undefined;
}

function edgeToEndAfter(agent: string, chain: EdgeChain, title: string, preferred: boolean): QuickFix | undefined {
    const cst = chain.$cstNode;
    if (!cst) return undefined;
    return {
        title,
        edits: [{ range: { start: cst.range.end, end: cst.range.end }, newText: `\n${indentOf(cst)}${agent} -> end` }],
        ...(preferred ? { preferred } : {}),
    };
}

/** Spaces up to the node's column, so that a new edge lines up with the chain it follows. */
function indentOf(node: CstNode): string {
    return ' '.repeat(node.range.start.character);
}
