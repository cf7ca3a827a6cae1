import { EmptyFileSystem, inject, type ValidationAcceptor } from 'langium';
import { createDefaultModule, createDefaultSharedModule } from 'langium/lsp';
import { DomainModelPeerGeneratedModule, DomainModelPeerGeneratedSharedModule } from './generated/module.js';
import type { Type } from './generated/ast.js';

/**
 * Services of the peer language: a re-implementation of Langium's `domainmodel` example grammar
 * with Langium's default scoping and LSP services, plus the example's one validation (type names
 * start with a capital letter), so that both languages do comparable work per build.
 */
export function createPeerServices() {
    const shared = inject(createDefaultSharedModule(EmptyFileSystem), DomainModelPeerGeneratedSharedModule);
    const language = inject(createDefaultModule({ shared }), DomainModelPeerGeneratedModule);
    shared.ServiceRegistry.register(language);
    language.validation.ValidationRegistry.register({
        DataType: (type: Type, accept: ValidationAcceptor) => checkCapitalized(type, accept),
        Entity: (type: Type, accept: ValidationAcceptor) => checkCapitalized(type, accept),
    });
    shared.workspace.ConfigurationProvider.initialized({});
    return { shared, language };
}

function checkCapitalized(type: Type, accept: ValidationAcceptor): void {
    const first = (type.name ?? '').charAt(0); // a name is missing after a syntax error
    if (first.toUpperCase() !== first) {
        accept('warning', 'Type name should start with a capital.', { node: type, property: 'name' });
    }
}
