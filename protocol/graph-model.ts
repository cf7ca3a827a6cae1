import type { MasDiagnostic, MasRange } from './lsp.js';

/** The version of the graph model; the graph view rejects any other. */
export const GRAPH_MODEL_VERSION = 1 as const;

/**
 * The agent graph of a .mas workflow as the graph view and `mas graph` show it. Ids are stable
 * across edits that do not rename anything: `start`, `end`, `agent:<name>`, and
 * `edge:<from>-><to>#<n>` (n counts repeated edges between the same two nodes, from 0).
 */
export interface GraphModel {
    version: typeof GRAPH_MODEL_VERSION;
    /** Workflow name, or the file name when the file has no `workflow` header. */
    workflow: string;
    /** Document URI the model was built from. */
    uri: string;
    nodes: GraphNode[];
    edges: GraphEdge[];
    /** Diagnostics of the document (and its imports), shown as markers on the nodes and edges they touch. */
    markers: GraphMarker[];
}

/** Where a node or edge is declared: document URI and range, for "go to source". */
export interface SourceLocation {
    uri: string;
    range: MasRange;
}

export type GraphNode =
    { id: 'start'; kind: 'start'; label: 'start' } | { id: 'end'; kind: 'end'; label: 'end' } | AgentNode;

export interface AgentNode {
    id: `agent:${string}`;
    kind: 'agent';
    /** The agent's name. */
    label: string;
    role: string | null;
    roleDescription: string | null;
    model: string | null;
    /** `hf` id or `scratch`, when the model is resolved. */
    modelSource: string | null;
    /** `shared`: the model's weights; `adapter`: own LoRA on the shared base; `weights`: own copy. */
    sharing: 'shared' | 'adapter' | 'weights';
    /** `lora(rank r)` when the model has a LoRA adapter, else null. */
    adapter: string | null;
    /** Declared `frozen`: acts, never trained (drawn greyed, dashed). Absent: trained. */
    frozen?: boolean;
    /** False when no path from `start` reaches the agent. */
    reachable: boolean;
    source: SourceLocation | null;
}

export interface GraphEdge {
    id: string;
    /** Node ids. */
    from: string;
    to: string;
    /** The `when` condition as written, or null for an unconditional edge. */
    condition: string | null;
    /** The `max` bound, or null. */
    max: number | null;
    /** Whether the edge lies on a cycle (a revision loop). */
    inCycle: boolean;
    source: SourceLocation | null;
}

export interface GraphMarker {
    /** The node or edge the diagnostic lies in, or null for one elsewhere in the file. */
    target: string | null;
    diagnostic: MasDiagnostic;
}
