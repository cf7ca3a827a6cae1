import { Cancellation, TextDocument, URI, type LangiumDocument } from 'langium';
import type { LangiumServices, LangiumSharedServices } from 'langium/lsp';
import type { Generator } from './generate.js';
import { Samples, timed, type Measure } from './stats.js';

/** The services of one language under test, created by `create` (fresh services for cold starts). */
export interface LanguageUnderTest {
    name: string;
    generator: Generator;
    create(): { shared: LangiumSharedServices; language: LangiumServices };
}

type Services = ReturnType<LanguageUnderTest['create']>;

function uriOf(language: LanguageUnderTest, name: string): URI {
    return URI.parse(`file:///bench/${name}${language.generator.extension}`);
}

/** Creates documents from strings and builds them with validation; returns them. */
async function buildAll(services: Services, entries: Array<{ uri: URI; text: string }>): Promise<LangiumDocument[]> {
    const { LangiumDocumentFactory, LangiumDocuments, DocumentBuilder } = services.shared.workspace;
    const documents = entries.map(({ uri, text }) => LangiumDocumentFactory.fromString(text, uri));
    documents.forEach((document) => LangiumDocuments.addDocument(document));
    await DocumentBuilder.build(documents, { validation: true });
    return documents;
}

function removeAll(services: Services, documents: LangiumDocument[]): void {
    documents.forEach((document) => services.shared.workspace.LangiumDocuments.deleteDocument(document.uri));
}

/** Workspace of `files` files totalling about `lines` lines. */
function workspace(language: LanguageUnderTest, files: number, lines: number, tag: string) {
    return Array.from({ length: files }, (_, i) => ({
        uri: uriOf(language, `${tag}/f${i}`),
        text: language.generator.file(`${tag}${i}`, Math.max(5, Math.round(lines / files))),
    }));
}

/** Parse + index + link + validate of a fresh workspace, `runs` times on warm services. */
export async function fullBuild(
    language: LanguageUnderTest,
    lines: number,
    files: number,
    runs: number,
): Promise<Samples> {
    const services = language.create();
    const entries = workspace(language, files, lines, 'full');
    const samples = new Samples();
    for (let run = 0; run < runs + 2; run++) {
        let documents: LangiumDocument[] = [];
        const measure = await timed(async () => {
            documents = await buildAll(services, entries);
        });
        removeAll(services, documents);
        if (run >= 2) {
            samples.add(measure); // the first two runs warm up the JIT
        }
    }
    return samples;
}

/** `edits` edits of one file in a built workspace, each until its diagnostics are computed. */
export async function editToDiagnostics(
    language: LanguageUnderTest,
    files: number,
    linesPerFile: number,
    edits: number,
): Promise<Samples> {
    const services = language.create();
    const entries = workspace(language, files, linesPerFile * files, 'edit');
    await buildAll(services, entries);
    const textDocuments = services.shared.workspace.TextDocuments!;
    const samples = new Samples();
    let text = entries[0]!.text;
    for (let version = 1; version <= edits; version++) {
        const uri = entries[(version * 7) % files]!.uri;
        text = language.generator.edit(entries[(version * 7) % files]!.text, version);
        textDocuments.set(TextDocument.create(uri.toString(), 'x', version, text));
        const measure = await timed(() => services.shared.workspace.DocumentBuilder.update([uri], []));
        const document = services.shared.workspace.LangiumDocuments.getDocument(uri)!;
        if (!document.diagnostics) {
            throw new Error('edit produced no diagnostics');
        }
        samples.add(measure);
    }
    return samples;
}

/** Completion where `symbols` declarations are in scope. */
export async function completion(
    language: LanguageUnderTest,
    symbols: number,
    runs: number,
): Promise<{ samples: Samples; items: number }> {
    const services = language.create();
    const { text, offset } = language.generator.completionFile(symbols);
    const [document] = await buildAll(services, [{ uri: uriOf(language, 'completion'), text }]);
    const position = document!.textDocument.positionAt(offset);
    const provider = services.language.lsp.CompletionProvider!;
    const samples = new Samples();
    let items = 0;
    for (let run = 0; run < runs + 3; run++) {
        const measure = await timed(async () => {
            const list = await provider.getCompletion(
                document!,
                { textDocument: { uri: document!.uri.toString() }, position },
                Cancellation.CancellationToken.None,
            );
            items = list?.items.length ?? 0;
        });
        if (run >= 3) {
            samples.add(measure);
        }
    }
    return { samples, items };
}

/** Services creation + first build with diagnostics of `files` files (in-process, in-memory files). */
export async function coldStart(language: LanguageUnderTest, files: number, linesPerFile: number): Promise<Measure> {
    const entries = workspace(language, files, files * linesPerFile, 'cold');
    return timed(async () => {
        const services = language.create();
        await buildAll(services, entries);
    });
}

/** Build of one file of `lines` lines, with and without a syntax error on every other line. */
export async function errorStorm(language: LanguageUnderTest, lines: number, runs: number) {
    const services = language.create();
    const measure = async (text: string, tag: string) => {
        const samples = new Samples();
        let diagnostics = 0;
        for (let run = 0; run < runs; run++) {
            const documents = await (async () => {
                let built: LangiumDocument[] = [];
                samples.add(
                    await timed(async () => {
                        built = await buildAll(services, [{ uri: uriOf(language, `${tag}${run}`), text }]);
                    }),
                );
                return built;
            })();
            diagnostics = documents[0]!.diagnostics?.length ?? 0;
            removeAll(services, documents);
        }
        return { p50: samples.percentile(50), diagnostics };
    };
    const clean = await measure(language.generator.fileWithErrors(lines, false), 'clean');
    const broken = await measure(language.generator.fileWithErrors(lines, true), 'broken');
    return { clean, broken };
}
