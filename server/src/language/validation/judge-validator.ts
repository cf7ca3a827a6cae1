import { GrammarUtils, type ValidationAcceptor } from 'langium';
import { isCriterion, isHfSource, isScratchSource, type JudgeBody, type Model } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import type { WorkspaceTrust } from '../workspace/workspace-trust.js';
import { checkRepeatedProperties } from './declaration-validator.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';
import type { WorkflowContexts } from './workflow-context.js';

const JUDGE_PROPERTIES = {
    model: 'model',
    prompt: 'prompt',
    low: 'scale',
    maxTokens: 'max_tokens',
    temperature: 'temperature',
};

/**
 * Judge criteria (`judge style weight 0.3 { model: m  prompt: "..."  scale: 1..10 }`): a model and a non-empty prompt,
 * a scale lo < hi, a positive `max_tokens`, a model whose weights do not move during the run (a model that an agent
 * trains with full weights would judge with other weights every step), and in an untrusted workspace a note that the
 * judge will not be asked (its prompt is workspace data sent to a model, the verifier rule). An unknown model is a
 * linking error with a "did you mean" fix (mas-document-validator.ts).
 */
export class JudgeValidator {
    private readonly trust: WorkspaceTrust;

    constructor(
        services: MasServices,
        private readonly contexts: WorkflowContexts,
    ) {
        this.trust = services.workspace.WorkspaceTrust;
    }

    checkJudge(judge: JudgeBody, accept: ValidationAcceptor): void {
        const name = isCriterion(judge.$container) ? judge.$container.name : '';
        const what = `The judge '${name}'`;
        checkRepeatedProperties(judge, JUDGE_PROPERTIES, what, accept);
        this.checkRequired(judge, what, accept);
        this.checkScale(judge, what, accept);
        if (judge.maxTokens !== undefined && !(Number.isInteger(judge.maxTokens) && judge.maxTokens > 0))
            report(
                accept,
                'error',
                IssueCodes.JudgeSetting,
                `\`max_tokens\` must be a positive whole number, not ${judge.maxTokens}; a score needs few tokens, for example \`max_tokens: 16\`.`,
                { node: judge, property: 'maxTokens' },
            );
        this.checkTrainedModel(judge, what, accept);
        this.checkTrust(judge, what, accept);
    }

    private checkRequired(judge: JudgeBody, what: string, accept: ValidationAcceptor): void {
        if (!judge.model)
            report(
                accept,
                'error',
                IssueCodes.MissingProperty,
                `${what} names no model; add \`model: <model name>\` (a model no agent trains with full weights).`,
                { node: judge },
            );
        if (!judge.prompt)
            report(
                accept,
                'error',
                IssueCodes.MissingProperty,
                `${what} has no prompt; add \`prompt: "Rate ... {{agent.output}} from 1 to 10"\`.`,
                { node: judge },
            );
        else if (judge.prompt.holes.length === 0 && judge.prompt.parts.every((part) => part.trim() === ''))
            report(
                accept,
                'error',
                IssueCodes.JudgeEmptyPrompt,
                `${what} has an empty prompt; write what the model is asked, with the output to judge, for example "Rate this answer from 1 to 10: {{solver.output}}".`,
                { node: judge, property: 'prompt' },
            );
    }

    private checkScale(judge: JudgeBody, what: string, accept: ValidationAcceptor): void {
        if (judge.low === undefined || judge.high === undefined || judge.low < judge.high) return;
        const range = judge.$cstNode && GrammarUtils.findNodeForProperty(judge.$cstNode, 'low')?.range;
        const end = judge.$cstNode && GrammarUtils.findNodeForProperty(judge.$cstNode, 'high')?.range;
        const fixes: QuickFix[] =
            judge.low > judge.high && range && end
                ? [
                      {
                          title: `Write the scale as ${judge.high}..${judge.low}`,
                          edits: [
                              { range: { start: range.start, end: end.end }, newText: `${judge.high}..${judge.low}` },
                          ],
                          preferred: true,
                      },
                  ]
                : [];
        report(
            accept,
            'error',
            IssueCodes.JudgeScale,
            `${what} has the scale ${judge.low}..${judge.high}; a scale goes from its lowest score to a higher one, for example \`scale: 1..10\`.`,
            { node: judge, property: 'low' },
            fixes,
        );
    }

    private checkTrainedModel(judge: JudgeBody, what: string, accept: ValidationAcceptor): void {
        const model = judge.model?.ref;
        if (!model || (model.adapter && model.adapter.kind !== 'none')) return;
        // Only hf and scratch weights are trained; a model served elsewhere (an API model) never moves.
        if (!isHfSource(model.source) && !isScratchSource(model.source)) return;
        // A frozen agent never trains its model's weights (a model only frozen agents use stays as loaded).
        const trainer = this.contexts
            .of(judge)
            ?.agents.find((agent) => agent.model?.model?.ref === model && !agent.model.frozen);
        if (!trainer) return;
        report(
            accept,
            'error',
            IssueCodes.JudgeTrainedModel,
            `${what} is asked through model '${model.name}', whose full weights agent '${trainer.name}' trains: the judge would score with weights that change every step. Declare a separate model for the judge (a LoRA model also works: the judge then uses its base weights).`,
            { node: judge, property: 'model' },
            separateModelFix(judge, model),
        );
    }

    private checkTrust(judge: JudgeBody, what: string, accept: ValidationAcceptor): void {
        if (this.trust.isTrusted() !== false) return;
        report(
            accept,
            'warning',
            IssueCodes.JudgeUntrusted,
            `This workspace is not trusted, so ${what.replace('The', 'the')} will not be asked: its prompt is workspace data sent to a model. Training and re-scoring with this rubric refuse to start until you trust the workspace (command "Workspaces: Manage Workspace Trust").`,
            { node: judge, property: 'model' },
            [
                {
                    title: 'Manage Workspace Trust',
                    edits: [],
                    command: { title: 'Manage Workspace Trust', command: 'workbench.trust.manage' },
                },
            ],
        );
    }
}

/** Declares `model <name>_judge { from: <the same source> }` after the model and points the judge at it. */
function separateModelFix(judge: JudgeBody, model: Model): QuickFix[] {
    const reference = judge.$cstNode && GrammarUtils.findNodeForProperty(judge.$cstNode, 'model')?.range;
    const declaration = model.$cstNode;
    const source = model.source?.$cstNode?.text;
    if (!reference || !declaration || !source || declaration.root !== judge.$cstNode?.root) return [];
    const name = `${model.name}_judge`;
    const end = declaration.range.end;
    return [
        {
            title: `Declare model '${name}' for the judge`,
            edits: [
                { range: { start: end, end }, newText: `\n\nmodel ${name} {\n  from: ${source}\n}` },
                { range: reference, newText: name },
            ],
            preferred: true,
        },
    ];
}
