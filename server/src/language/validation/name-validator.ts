import { AstUtils, UriUtils, type AstNode, type LangiumDocuments, type ValidationAcceptor } from 'langium';
import { isMasFile, type Dataset, type Element, type Import, type MasFile, type Rubric } from '../generated/ast.js';
import { resolveImportUri, visibleDocuments } from '../scope/imports.js';
import type { MasServices } from '../mas-module.js';
import { IssueCodes } from './issue-codes.js';
import { report } from './report.js';

/** Words for each kind of declaration, for messages. */
const KIND_WORDS: Record<string, string> = {
    Agent: 'agent',
    Role: 'role',
    Model: 'model',
    Rubric: 'rubric',
    Dataset: 'dataset',
    Reward: 'reward',
    Verifier: 'verifier',
};

type NamedElement = Element & { name: string };

function isNamedElement(element: Element): element is NamedElement {
    return typeof (element as { name?: unknown }).name === 'string' && (element as { name: string }).name.length > 0;
}

/** Names: no two declarations of a kind share a name in a file and its imports; imports resolve. */
export class NameValidator {
    private readonly documents: LangiumDocuments;

    constructor(services: MasServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    checkDuplicateDeclarations(file: MasFile, accept: ValidationAcceptor): void {
        const own = AstUtils.getDocument(file);
        const declared = new Map<string, { element: NamedElement; where: string }[]>();
        for (const document of visibleDocuments(file, this.documents)) {
            const root = document.parseResult.value;
            if (!isMasFile(root)) continue;
            const where = document === own ? 'in this file' : `in ${UriUtils.basename(document.uri)}`;
            for (const element of root.elements.filter(isNamedElement)) {
                const key = `${element.$type}:${element.name}`;
                declared.set(key, [...(declared.get(key) ?? []), { element, where }]);
            }
        }
        for (const element of file.elements.filter(isNamedElement)) {
            const all = declared.get(`${element.$type}:${element.name}`) ?? [];
            if (all.length < 2) continue;
            const others = all.filter((other) => other.element !== element).map((other) => other.where);
            const kind = KIND_WORDS[element.$type] ?? 'declaration';
            report(
                accept,
                'error',
                IssueCodes.DuplicateName,
                `The ${kind} '${element.name}' is declared ${all.length} times (also ${[...new Set(others)].join(' and ')}); rename one of them or remove the extra declaration.`,
                { node: element, property: 'name' },
            );
        }
    }

    checkImportResolves(imp: Import, accept: ValidationAcceptor): void {
        const uri = resolveImportUri(imp);
        if (!uri) {
            const message = imp.path?.trim()
                ? 'The import path contains a broken character (an unpaired UTF-16 surrogate) and cannot name a file; retype the path.'
                : 'The import path is empty; write the path of a .mas file, for example `import "common.mas"`.';
            report(accept, 'error', IssueCodes.UnresolvedImport, message, { node: imp, property: 'path' });
            return;
        }
        if (!this.documents.hasDocument(uri)) {
            const shown = uri.scheme === 'file' ? uri.fsPath : uri.toString();
            report(
                accept,
                'error',
                IssueCodes.UnresolvedImport,
                `The imported file ${shown} was not found; check the path (it is relative to this file) or create the file.`,
                { node: imp, property: 'path' },
            );
        }
    }

    checkDatasetFields(dataset: Dataset, accept: ValidationAcceptor): void {
        this.reportRepeatedNames(
            dataset.fields,
            accept,
            IssueCodes.DuplicateField,
            (name) =>
                `The dataset '${dataset.name}' declares the field '${name}' more than once; remove or rename the extra one.`,
        );
    }

    checkCriterionNames(rubric: Rubric, accept: ValidationAcceptor): void {
        this.reportRepeatedNames(
            rubric.criteria,
            accept,
            IssueCodes.DuplicateCriterion,
            (name) =>
                `The rubric '${rubric.name}' has more than one criterion named '${name}'; give each criterion its own name.`,
        );
    }

    /** Reports every occurrence after the first of a name within one block. */
    private reportRepeatedNames<N extends AstNode & { name: string }>(
        items: readonly N[],
        accept: ValidationAcceptor,
        code: typeof IssueCodes.DuplicateField | typeof IssueCodes.DuplicateCriterion,
        message: (name: string) => string,
    ): void {
        const seen = new Set<string>();
        for (const item of items) {
            if (!item.name) continue;
            if (seen.has(item.name)) {
                report(accept, 'error', code, message(item.name), { node: item, property: 'name' });
            }
            seen.add(item.name);
        }
    }
}
