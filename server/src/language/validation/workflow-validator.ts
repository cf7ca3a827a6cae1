import { GrammarUtils, type ValidationAcceptor } from 'langium';
import { isTrain, type Element, type MasFile, type Train } from '../generated/ast.js';
import type { QuickFix } from './diagnostic-data.js';
import { IssueCodes, type IssueCode } from './issue-codes.js';
import { report, type Location } from './report.js';
import type { WorkflowContext, WorkflowContexts } from './workflow-context.js';

/**
 * The workflow as a whole: a workflow file (one with a `workflow Name` header, or one that trains)
 * has exactly one graph, reward and train block in scope, and a data set to train on. Library files
 * (no header, no train block) only provide declarations and need none of these.
 */
export class WorkflowValidator {
    constructor(private readonly contexts: WorkflowContexts) {}

    checkWorkflow(file: MasFile, accept: ValidationAcceptor): void {
        const isWorkflow = file.workflow !== undefined || file.elements.some(isTrain);
        const context = this.contexts.of(file);
        if (!isWorkflow || !context) return;
        const header: Location | undefined =
            file.workflow !== undefined ? { node: file, property: 'workflow' } : undefined;
        const missing = [
            context.graphs.length === 0 ? 'a `graph { start -> ... -> end }` block' : undefined,
            context.rewards.length === 0 ? 'a `reward <name>: <rubric> per trajectory`' : undefined,
            context.trains.length === 0 ? 'a `train { ... }` block' : undefined,
        ].filter((item): item is string => item !== undefined);
        if (missing.length > 0) {
            const anchor = header ?? { node: file.elements.find(isTrain) ?? file };
            report(
                accept,
                'error',
                IssueCodes.IncompleteWorkflow,
                `This workflow cannot be trained yet: add ${missing.join(', ')} to this file or a file it imports.`,
                anchor,
            );
        }
        this.checkSingle(
            file,
            context.graphs,
            'graph blocks',
            IssueCodes.MultipleGraphs,
            'merge their edges into one `graph { ... }`',
            accept,
        );
        this.checkSingle(
            file,
            context.rewards,
            'rewards',
            IssueCodes.MultipleRewards,
            'keep the one to train on',
            accept,
        );
        this.checkSingle(
            file,
            context.trains,
            'train blocks',
            IssueCodes.MultipleTrainBlocks,
            'merge their settings into one `train { ... }`',
            accept,
        );
        this.checkDataset(context, accept);
    }

    /** Reports the extra declarations of a kind that may appear once; on the header when they are all imported. */
    private checkSingle(
        file: MasFile,
        items: readonly Element[],
        what: string,
        code: IssueCode,
        remedy: string,
        accept: ValidationAcceptor,
    ): void {
        if (items.length < 2) return;
        const message = `A workflow has exactly one of its ${what}, but ${items.length} are in scope; ${remedy}.`;
        const extras = items.slice(1).filter((item) => item.$container === file);
        if (extras.length === 0) {
            report(
                accept,
                'error',
                code,
                message,
                file.workflow !== undefined ? { node: file, property: 'workflow' } : { node: file },
            );
        }
        for (const extra of extras)
            report(accept, 'error', code, message, { node: extra, keyword: firstKeyword(extra) });
    }

    private checkDataset(context: WorkflowContext, accept: ValidationAcceptor): void {
        const train = context.trains[0];
        if (!train || train.$container !== context.file || train.dataset) return;
        if (context.datasets.length === 0) {
            report(
                accept,
                'error',
                IssueCodes.MissingDataset,
                'Training needs tasks, but no dataset is declared; add `dataset tasks from "data/tasks.jsonl" { question: string }` (JSON Lines, one task per line).',
                { node: train, keyword: 'train' },
            );
        } else if (context.datasets.length > 1) {
            const names = context.datasets.map((dataset) => dataset.name);
            report(
                accept,
                'error',
                IssueCodes.AmbiguousDataset,
                `Several datasets are in scope (${names.join(', ')}); say which one to train on with \`dataset: <name>\` in the train block.`,
                { node: train, keyword: 'train' },
                names.map((name) => chooseDatasetFix(train, name)).filter((fix): fix is QuickFix => fix !== undefined),
            );
        }
    }
}

function firstKeyword(element: Element): string {
    return element.$type === 'Graph' ? 'graph' : element.$type === 'Reward' ? 'reward' : 'train';
}

function chooseDatasetFix(train: Train, dataset: string): QuickFix | undefined {
    const brace = GrammarUtils.findNodeForKeyword(train.$cstNode, '{')?.range.end;
    return brace
        ? {
              title: `Train on the dataset '${dataset}'`,
              edits: [{ range: { start: brace, end: brace }, newText: `\n  dataset: ${dataset}` }],
          }
        : undefined;
}
