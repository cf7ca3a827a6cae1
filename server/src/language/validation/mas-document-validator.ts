import {
    DefaultDocumentValidator,
    type LangiumDocument,
    type ReferenceInfo,
    type ScopeProvider,
    type ValidationOptions,
} from 'langium';
import type { Diagnostic } from 'vscode-languageserver';
import type { MasServices } from '../mas-module.js';
import { closestName } from '../catalog/parameters.js';
import { IssueCodes } from './issue-codes.js';

/** The `data` of a linking error: Langium's fields plus the closest name in scope, when one is near. */
export interface LinkingErrorData {
    code: typeof IssueCodes.LinkingError;
    containerType: string;
    property: string;
    refText: string;
    suggestion?: string;
}

/**
 * Langium's validator, with linking errors that say "did you mean 'x'?". The candidates come from the
 * reference's own scope, so only names of the right type that the file can see are offered.
 */
export class MasDocumentValidator extends DefaultDocumentValidator {
    private readonly scopeProvider: ScopeProvider;

    constructor(services: MasServices) {
        super(services);
        this.scopeProvider = services.references.ScopeProvider;
    }

    protected override processLinkingErrors(
        document: LangiumDocument,
        diagnostics: Diagnostic[],
        _options: ValidationOptions,
    ): void {
        for (const reference of document.references) {
            const error = reference.error;
            if (!error) continue;
            const refText = error.info.reference.$refText;
            const suggestion = this.closestInScope(error.info, refText);
            const data: LinkingErrorData = {
                code: IssueCodes.LinkingError,
                containerType: error.info.container.$type,
                property: error.info.property,
                refText,
                ...(suggestion ? { suggestion } : {}),
            };
            const message = suggestion ? `${error.message} Did you mean '${suggestion}'?` : error.message;
            diagnostics.push(
                this.toDiagnostic('error', message, {
                    node: error.info.container,
                    range: reference.$refNode?.range,
                    property: error.info.property,
                    index: error.info.index,
                    data,
                }),
            );
        }
    }

    private closestInScope(info: ReferenceInfo, refText: string): string | undefined {
        if (!refText) return undefined;
        const names = this.scopeProvider
            .getScope(info)
            .getAllElements()
            .map((description) => description.name)
            .filter((name) => name !== refText)
            .toArray();
        return closestName(refText, [...new Set(names)]);
    }
}
