import {
    DefaultScopeProvider, DocumentCache, EMPTY_SCOPE, stream,
    type LangiumCoreServices, type LangiumDocuments, type ReferenceInfo, type Scope,
} from 'langium';
import { isTaskFieldRef, type Dataset, type DatasetField } from '../generated/ast.js';
import { masFileOf, visibleDocuments } from './imports.js';
import { datasetsInScope } from './workflow-queries.js';

/**
 * Names resolve within a file and the files it imports (not the whole workspace: two example
 * workflows may both declare an agent `solver`). `task.<field>` resolves against the fields of
 * the data sets in scope.
 */
export class MasScopeProvider extends DefaultScopeProvider {
    private readonly documents: LangiumDocuments;
    private readonly visibleUrisCache: DocumentCache<string, Set<string>>;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
        this.visibleUrisCache = new DocumentCache(services.shared);
    }

    override getScope(context: ReferenceInfo): Scope {
        if (isTaskFieldRef(context.container) && context.property === 'field') {
            const fields = datasetsInScope(context.container, this.documents)
                .flatMap((dataset: Dataset) => dataset.fields)
                .filter((field: DatasetField) => Boolean(field.name));
            return this.createScopeForNodes(fields);
        }
        return super.getScope(context);
    }

    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const file = masFileOf(context.container);
        if (!file?.$document) {
            return EMPTY_SCOPE;
        }
        const uris = this.visibleUrisCache.get(file.$document.uri, 'visible', () =>
            new Set(visibleDocuments(file, this.documents).map(doc => doc.uri.toString())));
        return this.createScope(stream(this.indexManager.allElements(referenceType, uris)));
    }
}
