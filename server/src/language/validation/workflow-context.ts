import { WorkspaceCache, type AstNode, type LangiumDocuments } from 'langium';
import {
    isAgent,
    isDataset,
    isGraph,
    isReward,
    isTrain,
    type Agent,
    type Dataset,
    type Element,
    type Graph,
    type MasFile,
    type Reward,
    type Train,
} from '../generated/ast.js';
import { AgentGraph } from '../graph/graph-analysis.js';
import { masFileOf } from '../scope/imports.js';
import { elementsInScope } from '../scope/workflow-queries.js';
import type { MasServices } from '../mas-module.js';

/** What the checks of one file need to know about its workflow: the declarations in scope, by kind. */
export interface WorkflowContext {
    file: MasFile;
    /** Every top-level declaration visible from the file (its own first, then imported ones). */
    elements: Element[];
    agents: Agent[];
    datasets: Dataset[];
    graphs: Graph[];
    rewards: Reward[];
    trains: Train[];
    /** The graph that counts (the first one) and its analysis; undefined when there is no graph. */
    graph?: Graph;
    agentGraph?: AgentGraph;
}

/**
 * Builds each file's `WorkflowContext` once per workspace state: every agent, edge and template check
 * asks for it, and walking the imports each time would make validation quadratic.
 */
export class WorkflowContexts {
    private readonly documents: LangiumDocuments;
    private readonly cache: WorkspaceCache<MasFile, WorkflowContext>;

    constructor(services: MasServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        this.cache = new WorkspaceCache(services.shared);
    }

    of(node: AstNode): WorkflowContext | undefined {
        const file = masFileOf(node);
        return file ? this.cache.get(file, () => this.build(file)) : undefined;
    }

    private build(file: MasFile): WorkflowContext {
        const elements = elementsInScope(file, this.documents);
        const agents = elements.filter(isAgent);
        const graphs = elements.filter(isGraph);
        const graph = graphs[0];
        return {
            file,
            elements,
            agents,
            graphs,
            graph,
            datasets: elements.filter(isDataset),
            rewards: elements.filter(isReward),
            trains: elements.filter(isTrain),
            agentGraph: graph
                ? AgentGraph.of(
                      graph,
                      agents.filter((agent) => Boolean(agent.name)),
                  )
                : undefined,
        };
    }
}
