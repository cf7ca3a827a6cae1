import { AstUtils, GrammarUtils, type ValidationAcceptor } from 'langium';
import type { Range } from 'vscode-languageserver';
import { isOpenAiSource, type Agent, type MasFile, type ModelBinding } from '../generated/ast.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import type { WorkflowContexts } from './workflow-context.js';

/**
 * Frozen agents (`model: m frozen`): they act in rollouts but are never trained. A frozen agent on a LoRA model acts
 * with the adapter disabled (the base weights); on full weights that another agent trains, the trainer gives it an
 * untrained copy of the initial weights. So `adapter separate` / `weights separate` change nothing for it, and a team
 * of frozen agents only has nothing to train.
 */
export class FrozenAgentValidator {
    constructor(private readonly contexts: WorkflowContexts) {}

    checkFrozenBinding(binding: ModelBinding, accept: ValidationAcceptor): void {
        if (!binding.frozen || !binding.separate) return;
        const removal = separateRange(binding);
        report(
            accept,
            'warning',
            IssueCodes.FrozenSeparatePointless,
            `\`${binding.separate} separate\` has no effect on a frozen agent: it is never trained, so it needs no ${binding.separate === 'adapter' ? 'adapter of its own (it acts with the adapter disabled)' : 'copy of its own (the trainer keeps an untrained copy when other agents train the weights)'}; remove \`${binding.separate} separate\`.`,
            { node: binding, property: 'separate' },
            removal
                ? [
                      {
                          title: `Remove \`${binding.separate} separate\``,
                          edits: [{ range: removal, newText: '' }],
                          preferred: true,
                      },
                  ]
                : [],
        );
    }

    /** A workflow whose agents are all frozen trains nothing: reported on its train block. */
    checkTeamTrains(file: MasFile, accept: ValidationAcceptor): void {
        const context = this.contexts.of(file);
        const train = context?.trains[0];
        if (!context || !train || train.$container !== file || context.agents.length === 0) return;
        // an agent on an API model (`from: openai ...`) is always frozen
        const frozen = (agent: Agent) =>
            agent.model?.frozen === true || isOpenAiSource(agent.model?.model?.ref?.source);
        if (!context.agents.every(frozen)) return;
        report(
            accept,
            'error',
            IssueCodes.AllAgentsFrozen,
            `Every agent of this workflow is frozen (${context.agents
                .map((a) => a.name)
                .filter(Boolean)
                .join(', ')}), so training has nothing to update; remove \`frozen\` from the agents to train.`,
            { node: train, keyword: 'train' },
            context.agents.map(unfreezeFix).filter((fix): fix is QuickFix => fix !== undefined),
        );
    }
}

/** `adapter separate` / `weights separate` with the space before it. */
function separateRange(binding: ModelBinding): Range | undefined {
    const from = GrammarUtils.findNodeForProperty(binding.$cstNode, 'model')?.range.end;
    const to = GrammarUtils.findNodeForKeyword(binding.$cstNode, 'separate')?.range.end;
    return from && to ? { start: from, end: to } : undefined;
}

/** "Train agent 'x'": removes its `frozen` (with the space before it), in its own file. */
function unfreezeFix(agent: Agent): QuickFix | undefined {
    const binding = agent.model;
    if (!binding?.$cstNode) return undefined;
    const before =
        GrammarUtils.findNodeForKeyword(binding.$cstNode, 'separate') ??
        GrammarUtils.findNodeForProperty(binding.$cstNode, 'model');
    const frozen = GrammarUtils.findNodeForProperty(binding.$cstNode, 'frozen');
    if (!before || !frozen) return undefined;
    return {
        title: `Train the agent '${agent.name}' (remove \`frozen\`)`,
        edits: [
            {
                range: { start: before.range.end, end: frozen.range.end },
                newText: '',
                uri: AstUtils.getDocument(agent).uri.toString(),
            },
        ],
    };
}
