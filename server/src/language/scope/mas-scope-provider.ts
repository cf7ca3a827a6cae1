import {
    AstUtils,
    DefaultScopeProvider,
    DocumentCache,
    EMPTY_SCOPE,
    MapScope,
    WorkspaceCache,
    type AstNode,
    type LangiumDocuments,
    type ReferenceInfo,
    type Scope,
} from 'langium';
import { isTaskFieldRef, Verifier, type Dataset, type DatasetField } from '../generated/ast.js';
import type { MasServices } from '../mas-module.js';
import type { BuiltinVerifiers } from './builtin-verifiers.js';
import { masFileOf, visibleDocuments } from './imports.js';
import { datasetsInScope } from './workflow-queries.js';

/**
 * Names resolve within a file and the files it imports (not the whole workspace: two example
 * workflows may both declare an agent `solver`). `task.<field>` resolves against the fields of
 * the data sets in scope. Verifier calls also see the built-in verifiers, behind the declared ones.
 */
export class MasScopeProvider extends DefaultScopeProvider {
    private readonly documents: LangiumDocuments;
    private readonly visibleUrisCache: DocumentCache<string, Set<string>>;
    /**
     * The `task.<field>` candidates per file. Computing them scans every declaration in scope, so
     * doing it per reference made linking quadratic (a 5 000-line file took over a second).
     * Emptied on every workspace change, since an imported file can change them.
     */
    private readonly taskFieldsCache: WorkspaceCache<string, DatasetField[]>;
    /** Global scopes per file and reference type, as name maps: a stream scope looks names up linearly. */
    private readonly globalScopes: WorkspaceCache<string, Scope>;
    /**
     * Local scopes (a node's local symbols, then its containers', then the global scope) per node
     * and reference type, as name maps. Langium's default rebuilds them as filtered streams for
     * every reference, which makes linking a file quadratic in its number of declarations.
     */
    private readonly localScopes: WorkspaceCache<AstNode, Map<string, Scope>>;
    private readonly builtinVerifiers: BuiltinVerifiers;

    constructor(services: MasServices) {
        super(services);
        this.builtinVerifiers = services.references.BuiltinVerifiers;
        this.documents = services.shared.workspace.LangiumDocuments;
        this.visibleUrisCache = new DocumentCache(services.shared);
        this.taskFieldsCache = new WorkspaceCache(services.shared);
        this.globalScopes = new WorkspaceCache(services.shared);
        this.localScopes = new WorkspaceCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        if (isTaskFieldRef(context.container) && context.property === 'field') {
            const uri = masFileOf(context.container)?.$document?.uri.toString() ?? '';
            const fields = this.taskFieldsCache.get(uri, () =>
                datasetsInScope(context.container, this.documents)
                    .flatMap((dataset: Dataset) => dataset.fields)
                    .filter((field: DatasetField) => Boolean(field.name)),
            );
            return this.createScopeForNodes(fields);
        }
        return this.scopeAt(context.container, this.reflection.getReferenceType(context), context);
    }

    /** The same scope as Langium's default `getScope`, built once per node and reference type. */
    private scopeAt(node: AstNode, referenceType: string, context: ReferenceInfo): Scope {
        const localSymbols = AstUtils.getDocument(node).localSymbols;
        let holder: AstNode | undefined = node;
        while (holder && !localSymbols?.has(holder)) {
            holder = holder.$container;
        }
        if (!holder || !localSymbols) {
            return this.getGlobalScope(referenceType, context);
        }
        const byType = this.localScopes.get(holder, () => new Map<string, Scope>());
        let scope = byType.get(referenceType);
        if (!scope) {
            const outer = holder.$container
                ? this.scopeAt(holder.$container, referenceType, context)
                : this.getGlobalScope(referenceType, context);
            const symbols = localSymbols
                .getStream(holder)
                .filter((symbol) => this.reflection.isSubtype(symbol.type, referenceType));
            scope = new MapScope(symbols, outer);
            byType.set(referenceType, scope);
        }
        return scope;
    }

    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const file = masFileOf(context.container);
        if (!file?.$document) {
            return EMPTY_SCOPE;
        }
        const document = file.$document;
        return this.globalScopes.get(`${referenceType}|${document.uri.toString()}`, () => {
            const uris = this.visibleUrisCache.get(
                document.uri,
                'visible',
                () => new Set(visibleDocuments(file, this.documents).map((doc) => doc.uri.toString())),
            );
            const builtins =
                referenceType === Verifier.$type ? new MapScope(this.builtinVerifiers.descriptions()) : EMPTY_SCOPE;
            return new MapScope(this.indexManager.allElements(referenceType, uris), builtins);
        });
    }
}
