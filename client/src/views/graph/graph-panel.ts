/**
 * The workflow graph panel. Asks the language server for `mas/graph` of the followed document when the view
 * is ready and again after each burst of edits (debounced), and reveals a declaration when the view asks
 * for one: the view sends only an id, which is looked up in the last model the host itself received.
 */
import * as vscode from 'vscode';
import type { GraphModel } from '../../../../protocol/graph-model.js';
import type { GraphResponse } from '../../../../protocol/lsp.js';
import type { GraphState, GraphToHost, GraphToView } from '../../../../protocol/webview-messages.js';
import { parseGraphToHost } from '../common/messages.js';
import { PanelHost } from '../common/panel-host.js';

export const GRAPH_VIEW_TYPE = 'mas.graph';
/** Long enough to skip the intermediate states of fast typing, short enough to feel live. */
export const GRAPH_DEBOUNCE_MS = 300;

export interface GraphDeps {
    extensionUri: vscode.Uri;
    log(message: string): void;
    /** `mas/graph` through the language client; throws with a readable message when the server is not running. */
    requestGraph(uri: string): Promise<GraphResponse>;
    onDispose(): void;
}

export class GraphPanel implements vscode.Disposable {
    private readonly host: PanelHost<GraphToView, GraphToHost>;
    private readonly subscriptions: vscode.Disposable[] = [];
    private uri: vscode.Uri;
    private model: GraphModel | undefined;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private requestId = 0;

    constructor(
        panel: vscode.WebviewPanel,
        uri: vscode.Uri,
        private readonly deps: GraphDeps,
    ) {
        this.uri = uri;
        this.host = new PanelHost<GraphToView, GraphToHost>(panel, deps.extensionUri, {
            bundle: 'graph',
            title: 'MAS Workflow Graph',
            parse: parseGraphToHost,
            onReady: () => void this.refresh(),
            onMessage: (message) => void this.revealDeclaration(message.id),
            onDispose: () => {
                this.stop();
                deps.onDispose();
            },
            log: deps.log,
        });
        this.subscriptions.push(
            vscode.workspace.onDidChangeTextDocument((event) => {
                if (event.document.uri.toString() === this.uri.toString()) this.schedule();
            }),
            // An edit in an imported file changes this graph's markers (and maybe its edges) too.
            vscode.languages.onDidChangeDiagnostics((event) => {
                if (event.uris.some((u) => u.toString() === this.uri.toString())) this.schedule();
            }),
        );
        this.updateTitle();
    }

    static create(uri: vscode.Uri, deps: GraphDeps): GraphPanel {
        const panel = vscode.window.createWebviewPanel(GRAPH_VIEW_TYPE, 'MAS Graph', vscode.ViewColumn.Beside);
        return new GraphPanel(panel, uri, deps);
    }

    get panel(): vscode.WebviewPanel {
        return this.host.panel;
    }

    get state(): GraphState {
        return { view: 'graph', uri: this.uri.toString() };
    }

    /** Follows another document (the panel is reused). */
    follow(uri: vscode.Uri): void {
        if (uri.toString() === this.uri.toString()) return;
        this.uri = uri;
        this.model = undefined;
        this.updateTitle();
        void this.refresh();
    }

    show(): void {
        this.host.panel.reveal(undefined, true);
    }

    /** Asks the server now; a slower earlier answer never overwrites a newer one. */
    async refresh(): Promise<void> {
        const id = ++this.requestId;
        const uri = this.uri.toString();
        let message: GraphToView;
        try {
            const model = await this.deps.requestGraph(uri);
            message = model
                ? { type: 'graph/model', model }
                : {
                      type: 'graph/unavailable',
                      reason: `The language server has not loaded ${this.uri.fsPath}. Open the file in an editor.`,
                  };
            if (id === this.requestId) this.model = model ?? undefined;
        } catch (error) {
            message = { type: 'graph/unavailable', reason: `No graph: ${(error as Error).message}` };
        }
        if (id === this.requestId) this.host.post(message);
    }

    dispose(): void {
        this.host.dispose();
    }

    private schedule(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.timer = undefined;
            if (this.host.isReady) void this.refresh();
        }, GRAPH_DEBOUNCE_MS);
    }

    private stop(): void {
        if (this.timer) clearTimeout(this.timer);
        for (const s of this.subscriptions.splice(0)) s.dispose();
    }

    private updateTitle(): void {
        const name = this.uri.path.split('/').pop() ?? 'workflow';
        this.host.panel.title = `Graph: ${name}`;
    }

    /** Selects the declaration of node or edge `id` of the current model in an editor; returns whether it did. */
    async revealDeclaration(id: string): Promise<boolean> {
        const item = this.model?.nodes.find((n) => n.id === id) ?? this.model?.edges.find((e) => e.id === id);
        const source = item && 'source' in item ? item.source : null;
        if (!source) return false;
        const target = vscode.Uri.parse(source.uri);
        if (target.scheme !== 'file' && target.scheme !== 'untitled') return false;
        const { start, end } = source.range;
        const range = new vscode.Range(start.line, start.character, end.line, end.character);
        const editor = await vscode.window.showTextDocument(target, {
            viewColumn: vscode.ViewColumn.One,
            preserveFocus: false,
            selection: new vscode.Range(range.start, range.start),
        });
        editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
        return true;
    }
}
