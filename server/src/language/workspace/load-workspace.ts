import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { URI, type LangiumDocument } from 'langium';
import { NodeFileSystem } from 'langium/node';
import { isMasFile, type MasFile } from '../generated/ast.js';
import { createMasServices, type MasServices } from '../mas-module.js';
import type { LangiumSharedServices } from 'langium/lsp';
import { resolveImportUri } from '../scope/imports.js';

/** A file the loader could not read, with a sentence that says what to do. */
export interface LoadProblem {
    path: string;
    message: string;
}

/** .mas files parsed, linked and validated together with everything they import. */
export interface LoadedWorkspace {
    shared: LangiumSharedServices;
    services: MasServices;
    /** The documents of the requested files, in the order asked for (unreadable files left out). */
    roots: LangiumDocument<MasFile>[];
    /** Every loaded document: the roots and their transitive imports. */
    all: LangiumDocument<MasFile>[];
    problems: LoadProblem[];
}

/** Reads a file as UTF-8 text, or says in a sentence why it cannot. */
export async function readMasText(path: string): Promise<{ text: string } | { problem: string }> {
    try {
        const info = await stat(path);
        if (info.isDirectory()) {
            return { problem: `${path} is a directory; pass a .mas file.` };
        }
        if (!info.isFile()) {
            // Reading a FIFO or a device could block forever.
            return { problem: `${path} is not a regular file; pass a .mas file.` };
        }
        return { text: await readFile(path, 'utf8') };
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return { problem: `${path} does not exist; check the path.` };
        if (code === 'EACCES' || code === 'EPERM')
            return { problem: `${path} cannot be read (permission denied); check its permissions.` };
        return { problem: `${path} cannot be read (${code ?? (error as Error).message}); check the path.` };
    }
}

/**
 * Loads `.mas` files and, transitively, the files they import (imports that do not exist are left to
 * the validator), then builds them all with validation. Fresh services each call unless given:
 * the CLI, benchmarks and tests share this loader, never a module-level workspace.
 */
export async function loadMasFiles(
    paths: readonly string[],
    given?: { shared: LangiumSharedServices; Mas: MasServices },
): Promise<LoadedWorkspace> {
    const { shared, Mas } = given ?? createMasServices(NodeFileSystem);
    const documents = shared.workspace.LangiumDocuments;
    const factory = shared.workspace.LangiumDocumentFactory;
    const problems: LoadProblem[] = [];
    const all: LangiumDocument<MasFile>[] = [];
    const roots: LangiumDocument<MasFile>[] = [];
    /** Loaded documents whose imports are still to be followed. */
    const queue: LangiumDocument<MasFile>[] = [];

    /** Parses a file into the workspace once; `undefined` when it is unreadable (a problem only for requested files). */
    const load = async (uri: URI, requested: boolean): Promise<LangiumDocument<MasFile> | undefined> => {
        if (documents.hasDocument(uri)) {
            return documents.getDocument(uri) as LangiumDocument<MasFile>;
        }
        const read = await readMasText(uri.fsPath);
        if ('problem' in read) {
            // A missing import is reported by the validator where the import is written.
            if (requested) problems.push({ path: uri.fsPath, message: read.problem });
            return undefined;
        }
        const document = factory.fromString<MasFile>(read.text, uri);
        documents.addDocument(document);
        all.push(document);
        queue.push(document);
        return document;
    };

    for (const path of paths) {
        const document = await load(URI.file(resolve(path)), true);
        if (document && !roots.includes(document)) roots.push(document);
    }
    while (queue.length > 0) {
        const file = queue.pop()!.parseResult.value;
        if (!isMasFile(file)) continue;
        for (const imp of file.imports) {
            const uri = resolveImportUri(imp);
            if (uri && uri.scheme === 'file') await load(uri, false);
        }
    }
    await shared.workspace.DocumentBuilder.build(all, { validation: true });
    return { shared, services: Mas, roots, all, problems };
}
