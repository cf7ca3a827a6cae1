import { AstUtils, type AstNode, type ValidationAcceptor } from 'langium';
import { isEndNode, isOutputRef, isStartNode, type EdgeChain, type Graph } from '../generated/ast.js';
import { END, START, nodeName, type AgentGraph, type FlatEdge } from '../graph/graph-analysis.js';
import { boundLoopFix, edgeToEndFix, fallbackEdgeFix } from './graph-fixes.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import type { WorkflowContext, WorkflowContexts } from './workflow-context.js';

/**
 * The graph is sound: `start` leads somewhere, every agent is reachable and can finish, loops are
 * bounded, `when`/`max` sit on single edges, and conditions read only outputs that can exist.
 */
export class GraphValidator {
    constructor(private readonly contexts: WorkflowContexts) {}

    checkGraph(graph: Graph, accept: ValidationAcceptor): void {
        const context = this.contexts.of(graph);
        // Only the graph that counts is analysed; extra graph blocks are reported by the workflow check.
        if (!context?.agentGraph || context.graph !== graph) return;
        const analysis = context.agentGraph;
        if ((analysis.successors.get(START) ?? []).length === 0) {
            report(
                accept,
                'error',
                IssueCodes.StartWithoutEdge,
                'Nothing leaves `start`, so no agent ever runs; add an edge from `start` to the first agent, for example `start -> planner`.',
                { node: graph, keyword: 'graph' },
            );
            return;
        }
        this.checkReachability(graph, context, analysis, accept);
        this.checkCycles(analysis, accept);
        this.checkStuckAgents(analysis, accept);
    }

    private checkReachability(
        graph: Graph,
        context: WorkflowContext,
        analysis: AgentGraph,
        accept: ValidationAcceptor,
    ): void {
        const fromStart = analysis.reachableFrom(START);
        const toEnd = analysis.reachableFrom(END, false);
        const document = AstUtils.getDocument(graph);
        for (const agent of context.agents) {
            if (!agent.name) continue;
            // Agents declared in an imported file are underlined on this file's graph instead.
            const location =
                AstUtils.getDocument(agent) === document
                    ? { node: agent, property: 'name' as const }
                    : { node: graph, keyword: 'graph' };
            if (!fromStart.has(agent.name)) {
                report(
                    accept,
                    'error',
                    IssueCodes.UnreachableAgent,
                    `The agent '${agent.name}' can never run: no path from \`start\` leads to it; add an edge into it (for example \`start -> ${agent.name}\`) or remove the agent.`,
                    location,
                );
            } else if (!toEnd.has(agent.name)) {
                const fix = edgeToEndFix(agent.name, graph, analysis.edges);
                report(
                    accept,
                    'error',
                    IssueCodes.DeadEndAgent,
                    `The agent '${agent.name}' can never reach \`end\`, so a trajectory through it never finishes; add an edge such as \`${agent.name} -> end\`.`,
                    location,
                    fix ? [fix] : [],
                );
            }
        }
    }

    private checkCycles(analysis: AgentGraph, accept: ValidationAcceptor): void {
        for (const cycle of analysis.unboundedCycles()) {
            // A single-edge chain can take `max` as it is; prefer those, and among them the back edge.
            const singles = cycle.edges.filter((edge) => edge.chain.nodes.length === 2);
            const edge = analysis.backEdgeOf(singles.length > 0 ? singles : cycle.edges);
            if (!edge) continue;
            const loop =
                cycle.nodes.length === 1
                    ? `${edge.from} -> ${edge.from}`
                    : `through ${[...cycle.nodes].reverse().join(', ')}`;
            const fix = boundLoopFix(edge);
            report(
                accept,
                'error',
                IssueCodes.UnboundedCycle,
                `The loop ${loop} has no \`max\` bound, so a trajectory could go round it forever; bound one of its edges, for example \`${edge.from} -> ${edge.to} ... max 3\`.`,
                { node: edge.chain },
                fix ? [fix] : [],
            );
        }
    }

    private checkStuckAgents(analysis: AgentGraph, accept: ValidationAcceptor): void {
        const outgoing = new Map<string, FlatEdge[]>();
        for (const edge of analysis.edges) outgoing.set(edge.from, [...(outgoing.get(edge.from) ?? []), edge]);
        for (const [from, edges] of outgoing) {
            if (from === START || from === END) continue;
            // `when`/`max` on a longer chain is an error of its own and ignored by the compiler: such edges count as plain.
            const isPlain = (edge: FlatEdge) =>
                edge.chain.nodes.length > 2 || (edge.chain.condition === undefined && edge.chain.max === undefined);
            if (edges.some(isPlain)) continue;
            const fix = fallbackEdgeFix(from, edges[edges.length - 1]!.chain);
            report(
                accept,
                'warning',
                IssueCodes.AgentMayGetStuck,
                `Every edge leaving '${from}' has a \`when\` condition or a \`max\` bound, so the trajectory stops there when none applies; add an unconditional fallback edge such as \`${from} -> end\` after them.`,
                { node: edges[0]!.chain },
                fix ? [fix] : [],
            );
        }
    }

    checkEdgeChain(chain: EdgeChain, accept: ValidationAcceptor): void {
        chain.nodes.forEach((node, index) => {
            if (isStartNode(node) && index > 0) {
                report(
                    accept,
                    'error',
                    IssueCodes.EdgeIntoStart,
                    'An edge enters `start`; a trajectory begins at `start` only once. Point the edge at an agent instead.',
                    { node },
                );
            }
            if (isEndNode(node) && index < chain.nodes.length - 1) {
                report(
                    accept,
                    'error',
                    IssueCodes.EdgeFromEnd,
                    'An edge leaves `end`; the trajectory is over at `end`. Remove the edge or start it from an agent.',
                    { node },
                );
            }
        });
        const ruled = chain.condition !== undefined || chain.max !== undefined;
        if (ruled && chain.nodes.length > 2) {
            report(
                accept,
                'error',
                IssueCodes.ConditionOnChain,
                '`when` and `max` apply to a single edge, but this chain has several; split the chain so that the conditional edge stands alone, for example `a -> b` then `b -> c when ...`.',
                { node: chain, keyword: chain.condition ? 'when' : 'max' },
            );
        }
        if (chain.max !== undefined && !(Number.isInteger(chain.max) && chain.max > 0)) {
            report(
                accept,
                'error',
                IssueCodes.InvalidMax,
                `\`max\` counts how often the edge may be taken, so it must be a positive whole number, not ${chain.max}; write for example \`max 3\`.`,
                { node: chain, property: 'max' },
            );
        }
        this.checkConditionOutputs(chain, accept);
    }

    /** A condition is evaluated by the edge's source agent: it may read only outputs that can exist by then. */
    private checkConditionOutputs(chain: EdgeChain, accept: ValidationAcceptor): void {
        const context = this.contexts.of(chain);
        const source = chain.nodes[0];
        if (
            !chain.condition ||
            chain.nodes.length !== 2 ||
            !source ||
            !context?.agentGraph ||
            chain.$container !== context.graph
        )
            return;
        const at = nodeName(source);
        if (at === undefined) return;
        for (const ref of AstUtils.streamAst(chain.condition).filter(isOutputRef)) {
            const writer = ref.agent?.ref?.name;
            if (writer === undefined || context.agentGraph.canHaveRunAt(writer, at)) continue;
            const when =
                at === START
                    ? 'at `start`, before any agent has run'
                    : `when '${at}' chooses its next step: '${writer}' never runs before it`;
            report(
                accept,
                'error',
                IssueCodes.OutputNotAvailable,
                `\`${writer}.output\` cannot exist ${when}; read the output of an agent that runs earlier, or move the condition to an edge leaving '${writer}'.`,
                { node: ref as AstNode },
            );
        }
    }
}
