import type { ValidationAcceptor } from 'langium';
import { isOutputRef, isTaskFieldRef, type Agent } from '../generated/ast.js';
import { START } from '../graph/graph-analysis.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import type { WorkflowContexts } from './workflow-context.js';

/**
 * Prompt templates are checked like code: `{{x.output}}` needs `x` to have run before the agent that
 * reads it, and `{{task.f}}` needs a dataset (unknown fields are linking errors with a quick fix).
 */
export class TemplateValidator {
    constructor(private readonly contexts: WorkflowContexts) {}

    checkPromptHoles(agent: Agent, accept: ValidationAcceptor): void {
        const holes = agent.prompt?.holes ?? [];
        const context = this.contexts.of(agent);
        if (holes.length === 0 || !context) return;
        for (const hole of holes.filter(isTaskFieldRef)) {
            if (context.datasets.length === 0) {
                report(
                    accept,
                    'error',
                    IssueCodes.MissingDataset,
                    `\`{{task.${hole.field?.$refText ?? ''}}}\` reads a field of the task, but no dataset is declared; add one, for example \`dataset tasks from "data/tasks.jsonl" { ${hole.field?.$refText || 'question'}: string }\`.`,
                    { node: hole },
                );
            }
        }
        const analysis = context.agentGraph;
        // An agent that never runs is reported by the graph check; its prompt cannot be judged.
        if (!analysis || !agent.name || !analysis.reachableFrom(START).has(agent.name)) return;
        for (const hole of holes.filter(isOutputRef)) {
            const writer = hole.agent?.ref?.name;
            if (writer === undefined || analysis.canRunBefore(writer, agent.name)) continue;
            const why =
                writer === agent.name
                    ? `'${agent.name}' reads its own output, but it is in no loop, so it has never spoken when it runs`
                    : `'${writer}' cannot have run before '${agent.name}' in the graph`;
            report(
                accept,
                'error',
                IssueCodes.OutputNotAvailable,
                `\`{{${writer}.output}}\` would always be empty: ${why}; read an agent that runs earlier, or add an edge \`${writer} -> ... -> ${agent.name}\`.`,
                { node: hole },
            );
        }
    }
}
