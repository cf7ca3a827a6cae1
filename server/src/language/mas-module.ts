import { inject, type Module } from 'langium';
import {
    createDefaultModule,
    createDefaultSharedModule,
    type DefaultSharedModuleContext,
    type LangiumServices,
    type LangiumSharedServices,
    type PartialLangiumServices,
    type PartialLangiumSharedServices,
} from 'langium/lsp';
import { MasGeneratedModule, MasGeneratedSharedModule } from './generated/module.js';
import { MasTokenBuilder } from './mas-token-builder.js';
import { createGuardedLangiumParser } from './parser/guarded-parser.js';
import { MasLexer } from './parser/mas-lexer.js';
import { MasLexerErrorMessageProvider, MasParserErrorMessageProvider } from './parser/mas-parser-messages.js';
import { MasValueConverter } from './mas-value-converter.js';
import { BuiltinVerifiers } from './scope/builtin-verifiers.js';
import { MasScopeProvider } from './scope/mas-scope-provider.js';
import { MasDocumentValidator } from './validation/mas-document-validator.js';
import { MasValidator, registerValidationChecks } from './validation/mas-validator.js';
import { MasAstNodeDescriptionProvider } from './workspace/mas-ast-descriptions.js';
import { watchDatasetFiles } from './workspace/dataset-file-watcher.js';
import { MasDocumentBuilder } from './workspace/mas-document-builder.js';
import { MasIndexManager } from './workspace/mas-index-manager.js';
import { WorkspaceTrust } from './workspace/workspace-trust.js';
import { MasCommentProvider } from './lsp/mas-comment-provider.js';
import { MasCodeActionProvider } from './lsp/mas-code-actions.js';
import { MasCodeLensProvider } from './lsp/mas-code-lens.js';
import { MasCompletionProvider } from './lsp/mas-completion.js';
import { MasDefinitionProvider } from './lsp/mas-definition.js';
import { MasDocumentSymbolProvider } from './lsp/mas-document-symbols.js';
import { MasFormatter } from './lsp/mas-formatter.js';
import { MasHoverProvider } from './lsp/mas-hover.js';
import { MasInlayHintProvider } from './lsp/mas-inlay-hints.js';
import { MasRenameProvider } from './lsp/mas-rename.js';
import { MasSemanticTokenProvider } from './lsp/mas-semantic-tokens.js';

/** Services the .mas language adds to Langium's. */
export type MasAddedServices = {
    references: {
        BuiltinVerifiers: BuiltinVerifiers;
    };
    validation: {
        MasValidator: MasValidator;
    };
    workspace: {
        WorkspaceTrust: WorkspaceTrust;
    };
};

export type MasServices = LangiumServices & MasAddedServices;

/** The one dependency-injection module of the .mas language: every custom service is bound here. */
export const MasModule: Module<MasServices, PartialLangiumServices & MasAddedServices> = {
    parser: {
        TokenBuilder: () => new MasTokenBuilder(),
        ValueConverter: () => new MasValueConverter(),
        Lexer: (services) => new MasLexer(services),
        LangiumParser: (services) => createGuardedLangiumParser(services),
        ParserErrorMessageProvider: () => new MasParserErrorMessageProvider(),
        LexerErrorMessageProvider: () => new MasLexerErrorMessageProvider(),
    },
    documentation: {
        CommentProvider: (services) => new MasCommentProvider(services),
    },
    references: {
        ScopeProvider: (services) => new MasScopeProvider(services),
        BuiltinVerifiers: (services) => new BuiltinVerifiers(services),
    },
    workspace: {
        AstNodeDescriptionProvider: (services) => new MasAstNodeDescriptionProvider(services),
        WorkspaceTrust: () => new WorkspaceTrust(),
    },
    validation: {
        DocumentValidator: (services) => new MasDocumentValidator(services),
        MasValidator: (services) => new MasValidator(services),
    },
    lsp: {
        CodeActionProvider: (services) => new MasCodeActionProvider(services),
        CodeLensProvider: (services) => new MasCodeLensProvider(services),
        CompletionProvider: (services) => new MasCompletionProvider(services),
        DefinitionProvider: (services) => new MasDefinitionProvider(services),
        DocumentSymbolProvider: () => new MasDocumentSymbolProvider(),
        Formatter: () => new MasFormatter(),
        HoverProvider: (services) => new MasHoverProvider(services),
        InlayHintProvider: (services) => new MasInlayHintProvider(services),
        RenameProvider: (services) => new MasRenameProvider(services),
        SemanticTokenProvider: (services) => new MasSemanticTokenProvider(services),
    },
};

/** Shared (workspace-wide) services: bookkeeping that stays proportional to the edit, not to the workspace. */
export const MasSharedModule: Module<LangiumSharedServices, PartialLangiumSharedServices> = {
    workspace: {
        DocumentBuilder: (services) => new MasDocumentBuilder(services),
        IndexManager: (services) => new MasIndexManager(services),
    },
};

/**
 * Creates the shared services and the .mas language services. Works without an LSP connection
 * (tests, CLI, benchmarks: pass `EmptyFileSystem` or `NodeFileSystem`).
 */
export function createMasServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Mas: MasServices;
} {
    const shared = inject(createDefaultSharedModule(context), MasGeneratedSharedModule, MasSharedModule);
    const Mas = inject(createDefaultModule({ shared }), MasGeneratedModule, MasModule);
    shared.ServiceRegistry.register(Mas);
    registerValidationChecks(Mas);
    watchDatasetFiles(shared);
    if (!context.connection) {
        // No language client will announce the configuration: build as if it had.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Mas };
}
