import type { MasAstType } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import { AdapterFolderValidator } from './adapter-folder-validator.js';
import { DatasetValidator } from './dataset-validator.js';
import { DeclarationValidator } from './declaration-validator.js';
import { ExpressionValidator } from './expression-validator.js';
import { FrozenAgentValidator } from './frozen-checks.js';
import { GraphValidator } from './graph-validator.js';
import { NameValidator } from './name-validator.js';
import { RubricValidator } from './rubric-validator.js';
import { TemplateValidator } from './template-validator.js';
import { TrainValidator } from './train-validator.js';
import { JudgeValidator } from './judge-validator.js';
import { VerifierValidator } from './verifier-validator.js';
import { WorkflowContexts } from './workflow-context.js';
import { WorkflowValidator } from './workflow-validator.js';

/**
 * Registers the semantic checks of the .mas language, one `checkXxx` method per concern and
 * AST type. Every diagnostic carries an issue code (validation/issue-codes.ts) that its quick fix
 * keys on.
 */
export function registerValidationChecks(services: MasServices): void {
    services.validation.MasValidator.register(services.validation.ValidationRegistry);
}

/** The validators of each concern, sharing one cache of workflow facts (declarations in scope, graph analysis). */
export class MasValidator {
    readonly names: NameValidator;
    readonly datasets: DatasetValidator;
    readonly adapterFolders: AdapterFolderValidator;
    readonly declarations = new DeclarationValidator();
    readonly workflow: WorkflowValidator;
    readonly graph: GraphValidator;
    readonly templates: TemplateValidator;
    readonly expressions = new ExpressionValidator();
    readonly rubrics = new RubricValidator();
    readonly train: TrainValidator;
    readonly verifiers: VerifierValidator;
    readonly frozen: FrozenAgentValidator;
    readonly judges: JudgeValidator;

    constructor(services: MasServices) {
        const contexts = new WorkflowContexts(services);
        this.names = new NameValidator(services);
        this.datasets = new DatasetValidator(services);
        this.adapterFolders = new AdapterFolderValidator(services);
        this.workflow = new WorkflowValidator(contexts);
        this.graph = new GraphValidator(contexts);
        this.templates = new TemplateValidator(contexts);
        this.train = new TrainValidator(contexts);
        this.verifiers = new VerifierValidator(services);
        this.frozen = new FrozenAgentValidator(contexts);
        this.judges = new JudgeValidator(services, contexts);
    }

    register(registry: MasServices['validation']['ValidationRegistry']): void {
        const { names, datasets, declarations, workflow, graph, templates, expressions, rubrics, train, verifiers } =
            this;
        // Each group is registered with its own `this`, as Langium binds checks to the object given.
        registry.register<MasAstType>(
            {
                MasFile: names.checkDuplicateDeclarations,
                Import: names.checkImportResolves,
                Dataset: names.checkDatasetFields,
                Rubric: names.checkCriterionNames,
            },
            names,
        );
        registry.register<MasAstType>({ Dataset: datasets.checkDatasetPath }, datasets);
        registry.register<MasAstType>({ Model: this.adapterFolders.checkAdapterFolder }, this.adapterFolders);
        registry.register<MasAstType>(
            {
                Agent: declarations.checkAgent,
                Model: declarations.checkModel,
                ModelBinding: declarations.checkModelBinding,
            },
            declarations,
        );
        registry.register<MasAstType>({ MasFile: workflow.checkWorkflow }, workflow);
        registry.register<MasAstType>({ Graph: graph.checkGraph, EdgeChain: graph.checkEdgeChain }, graph);
        registry.register<MasAstType>({ Agent: templates.checkPromptHoles }, templates);
        registry.register<MasAstType>(
            {
                EdgeChain: expressions.checkEdgeCondition,
                Criterion: expressions.checkCriterionType,
                RegexLiteral: expressions.checkRegexLiteral,
            },
            expressions,
        );
        registry.register<MasAstType>({ Rubric: rubrics.checkRubric, Reward: rubrics.checkRewardContext }, rubrics);
        registry.register<MasAstType>({ Train: train.checkTrain }, train);
        registry.register<MasAstType>(
            { Verifier: verifiers.checkVerifier, VerifierCall: verifiers.checkVerifierCall },
            verifiers,
        );
        registry.register<MasAstType>(
            { ModelBinding: this.frozen.checkFrozenBinding, MasFile: this.frozen.checkTeamTrains },
            this.frozen,
        );
        registry.register<MasAstType>({ JudgeBody: this.judges.checkJudge }, this.judges);
    }
}
