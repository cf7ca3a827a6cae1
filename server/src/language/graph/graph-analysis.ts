import {
    isAgentNode,
    isEndNode,
    isGraph,
    isStartNode,
    type Agent,
    type EdgeChain,
    type Graph,
    type MasFile,
    type NodeRef,
} from '../generated/ast.js';

export const START = 'start';
export const END = 'end';

/** One edge of the agent graph, flattened out of `a -> b -> c` chains. */
export interface FlatEdge {
    from: string;
    to: string;
    /** The chain statement the edge comes from (its condition and `max` apply to single-edge chains). */
    chain: EdgeChain;
    /** Index of the edge within its chain. */
    index: number;
    bounded: boolean;
}

/** Node name of a graph endpoint: `start`, `end`, or the agent's name (undefined when unresolved). */
export function nodeName(node: NodeRef): string | undefined {
    if (isStartNode(node)) return START;
    if (isEndNode(node)) return END;
    if (isAgentNode(node)) return node.agent?.ref?.name;
    return undefined;
}

/** Every edge of a graph block, in declaration order. Edges with an unresolved end are left out. */
export function flattenEdges(graph: Graph): FlatEdge[] {
    const edges: FlatEdge[] = [];
    for (const chain of graph.statements) {
        for (let i = 0; i + 1 < chain.nodes.length; i++) {
            const from = nodeName(chain.nodes[i]!);
            const to = nodeName(chain.nodes[i + 1]!);
            if (from !== undefined && to !== undefined) {
                edges.push({ from, to, chain, index: i, bounded: chain.max !== undefined });
            }
        }
    }
    return edges;
}

/** The first `graph { ... }` block of a file. */
export function graphOf(file: MasFile): Graph | undefined {
    return file.elements.find(isGraph);
}

/** Adjacency and the questions the validator, compiler and graph view ask of it. */
export class AgentGraph {
    readonly successors = new Map<string, string[]>();
    readonly predecessors = new Map<string, string[]>();
    /**
     * Reachable sets already computed, per direction and node: the validator asks `canRunBefore` for
     * every template hole and condition, and a fresh search each time made large files quadratic.
     */
    private readonly reachCache = new Map<string, Set<string>>();

    constructor(
        readonly edges: readonly FlatEdge[],
        readonly agents: readonly string[],
    ) {
        for (const name of [START, END, ...agents]) {
            this.successors.set(name, []);
            this.predecessors.set(name, []);
        }
        for (const edge of edges) {
            this.successors.get(edge.from)?.push(edge.to) ?? this.successors.set(edge.from, [edge.to]);
            this.predecessors.get(edge.to)?.push(edge.from) ?? this.predecessors.set(edge.to, [edge.from]);
        }
    }

    static of(graph: Graph, agents: readonly Agent[]): AgentGraph {
        return new AgentGraph(
            flattenEdges(graph),
            agents.map((a) => a.name),
        );
    }

    /**
     * Nodes reachable from `from` by following edges forward (including `from`). The set is shared
     * between callers (memoised): read it, never change it.
     */
    reachableFrom(from: string, forward = true): Set<string> {
        const key = `${forward ? '>' : '<'}${from}`;
        let reachable = this.reachCache.get(key);
        if (!reachable) {
            reachable = this.searchFrom(from, forward);
            this.reachCache.set(key, reachable);
        }
        return reachable;
    }

    private searchFrom(from: string, forward: boolean): Set<string> {
        const next = forward ? this.successors : this.predecessors;
        const seen = new Set<string>([from]);
        const stack = [from];
        while (stack.length > 0) {
            for (const n of next.get(stack.pop()!) ?? []) {
                if (!seen.has(n)) {
                    seen.add(n);
                    stack.push(n);
                }
            }
        }
        return seen;
    }

    /** Agents in graph order: breadth-first from `start`, edges in declaration order; unreachable agents last. */
    order(): string[] {
        const seen = new Set<string>([START]);
        const queue = [START];
        const order: string[] = [];
        while (queue.length > 0) {
            const node = queue.shift()!;
            for (const n of this.successors.get(node) ?? []) {
                if (!seen.has(n)) {
                    seen.add(n);
                    queue.push(n);
                    if (n !== END) order.push(n);
                }
            }
        }
        return [...order, ...this.agents.filter((a) => !seen.has(a))];
    }

    /**
     * Whether `writer` can have produced an output before `reader` acts: `writer` is reachable from
     * `start` and `reader` is reachable from `writer` by a path of at least one edge.
     */
    canRunBefore(writer: string, reader: string): boolean {
        if (!this.reachableFrom(START).has(writer)) return false;
        return (this.successors.get(writer) ?? []).some((n) => this.reachableFrom(n).has(reader));
    }

    /** Whether `writer`'s output can exist when `at` decides which edge to take (`at` itself counts). */
    canHaveRunAt(writer: string, at: string): boolean {
        return writer === at ? this.reachableFrom(START).has(at) : this.canRunBefore(writer, at);
    }

    /**
     * Strongly connected components that contain a cycle made only of unbounded edges (no edge of the
     * cycle carries `max`). Each is returned as its node names with the unbounded edges inside it.
     */
    unboundedCycles(): { nodes: string[]; edges: FlatEdge[] }[] {
        const unbounded = new AgentGraph(
            this.edges.filter((e) => !e.bounded),
            this.agents,
        );
        return unbounded
            .stronglyConnectedComponents()
            .filter((scc) => scc.length > 1 || unbounded.successors.get(scc[0]!)?.includes(scc[0]!))
            .map((scc) => ({
                nodes: scc,
                edges: unbounded.edges.filter((e) => scc.includes(e.from) && scc.includes(e.to)),
            }));
    }

    /**
     * The edge of a cycle to bound with `max`: preferably a back edge (one that goes to a node no later
     * than its source in graph order, like `verifier -> solver`), else the cycle's last edge.
     */
    backEdgeOf(cycleEdges: readonly FlatEdge[]): FlatEdge | undefined {
        const position = new Map(this.order().map((name, index) => [name, index]));
        const rank = (name: string) => position.get(name) ?? Number.MAX_SAFE_INTEGER;
        return cycleEdges.find((edge) => rank(edge.to) <= rank(edge.from)) ?? cycleEdges[cycleEdges.length - 1];
    }

    /** Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack. */
    stronglyConnectedComponents(): string[][] {
        const index = new Map<string, number>();
        const low = new Map<string, number>();
        const onStack = new Set<string>();
        const stack: string[] = [];
        const result: string[][] = [];
        let counter = 0;
        for (const root of this.successors.keys()) {
            if (index.has(root)) continue;
            const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
            index.set(root, counter);
            low.set(root, counter++);
            stack.push(root);
            onStack.add(root);
            while (work.length > 0) {
                const frame = work[work.length - 1]!;
                const succ = this.successors.get(frame.node) ?? [];
                if (frame.next < succ.length) {
                    const n = succ[frame.next++]!;
                    if (!index.has(n)) {
                        index.set(n, counter);
                        low.set(n, counter++);
                        stack.push(n);
                        onStack.add(n);
                        work.push({ node: n, next: 0 });
                    } else if (onStack.has(n)) {
                        low.set(frame.node, Math.min(low.get(frame.node)!, index.get(n)!));
                    }
                    continue;
                }
                work.pop();
                const parent = work[work.length - 1];
                if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
                if (low.get(frame.node) === index.get(frame.node)) {
                    const component: string[] = [];
                    let n: string;
                    do {
                        n = stack.pop()!;
                        onStack.delete(n);
                        component.push(n);
                    } while (n !== frame.node);
                    result.push(component);
                }
            }
        }
        return result;
    }
}
