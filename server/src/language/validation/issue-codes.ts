/**
 * Issue codes of the .mas language. Every diagnostic carries one (as `code` and `data.code`);
 * quick fixes (lsp/mas-code-actions.ts) key on them. docs/diagnostic-codes.md lists them for users.
 */
export const IssueCodes = {
    // Names and imports
    DuplicateName: 'duplicate-name',
    DuplicateField: 'duplicate-field',
    DuplicateCriterion: 'duplicate-criterion',
    UnresolvedImport: 'unresolved-import',
    /** Langium's own code for an unresolved reference (DocumentValidator.LinkingError). */
    LinkingError: 'linking-error',
    // Declarations
    DuplicateProperty: 'duplicate-property',
    MissingProperty: 'missing-property',
    InvalidAgentSetting: 'invalid-agent-setting',
    EmptyModelId: 'empty-model-id',
    ScratchHeadsMismatch: 'scratch-heads-mismatch',
    AdapterWithoutLora: 'adapter-without-lora',
    WeightsDuplicated: 'weights-duplicated',
    InvalidModelSetting: 'invalid-model-setting',
    SettingNotForScratch: 'setting-not-for-scratch',
    SystemMessageIgnored: 'system-message-ignored',
    AttentionNeedsGpu: 'attention-needs-gpu',
    // The workflow as a whole
    IncompleteWorkflow: 'incomplete-workflow',
    MultipleGraphs: 'multiple-graphs',
    MultipleRewards: 'multiple-rewards',
    MultipleTrainBlocks: 'multiple-train-blocks',
    MissingDataset: 'missing-dataset',
    AmbiguousDataset: 'ambiguous-dataset',
    DatasetOutsideWorkspace: 'dataset-outside-workspace',
    DatasetFileMissing: 'dataset-file-missing',
    AdapterFolderMissing: 'adapter-folder-missing',
    // The graph
    StartWithoutEdge: 'start-without-edge',
    EdgeIntoStart: 'edge-into-start',
    EdgeFromEnd: 'edge-from-end',
    UnreachableAgent: 'unreachable-agent',
    DeadEndAgent: 'dead-end-agent',
    UnboundedCycle: 'unbounded-cycle',
    ConditionOnChain: 'condition-on-chain',
    InvalidMax: 'invalid-max',
    AgentMayGetStuck: 'agent-may-get-stuck',
    ConditionNotBool: 'condition-not-bool',
    OutputNotAvailable: 'output-not-available',
    // Expressions and rubrics
    TypeMismatch: 'type-mismatch',
    WrongArity: 'wrong-arity',
    InvalidRegex: 'invalid-regex',
    UnsupportedRegex: 'unsupported-regex',
    NestedQuantifier: 'nested-quantifier',
    CriterionNotScorable: 'criterion-not-scorable',
    EmptyRubric: 'empty-rubric',
    NonPositiveWeight: 'non-positive-weight',
    WeightsNotNormalized: 'weights-not-normalized',
    ContextRefUnavailable: 'context-ref-unavailable',
    // Verifiers
    VerifierFileMissing: 'verifier-file-missing',
    VerifierFunctionMissing: 'verifier-function-missing',
    VerifierOutsideWorkspace: 'verifier-outside-workspace',
    VerifierInCondition: 'verifier-in-condition',
    VerifierUntrusted: 'verifier-untrusted',
    // Judge criteria
    JudgeEmptyPrompt: 'judge-empty-prompt',
    JudgeScale: 'judge-scale',
    JudgeSetting: 'judge-setting',
    JudgeTrainedModel: 'judge-trained-model',
    JudgeUntrusted: 'judge-untrusted',
    // Training settings and method arguments
    UnknownAlgorithm: 'unknown-algorithm',
    UnknownCredit: 'unknown-credit',
    InvalidSetting: 'invalid-setting',
    UnknownParameter: 'unknown-parameter',
    InvalidParameter: 'invalid-parameter',
    MissingParameter: 'missing-parameter',
    DuplicateParameter: 'duplicate-parameter',
    GroupTooSmall: 'group-too-small',
    FanoutMismatch: 'fanout-mismatch',
    FanoutTooLong: 'fanout-too-long',
    FanoutTooShort: 'fanout-too-short',
    ExactShapleyTooLarge: 'exact-shapley-too-large',
    MissingCritic: 'missing-critic',
    AlphaWithoutValueAssisted: 'alpha-without-value-assisted',
    ConflictingKl: 'conflicting-kl',
    InvalidStopCondition: 'invalid-stop-condition',
} as const;

export type IssueCode = (typeof IssueCodes)[keyof typeof IssueCodes];
