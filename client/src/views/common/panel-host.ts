/**
 * One webview panel of a MAS view: builds its page (webview-html.ts), limits it to the bundle folder, checks
 * every incoming message, and implements the ready handshake. A view may reload at any time (hidden without
 * retainContextWhenHidden, "Reload Webviews", a window reload restoring it through the serializer); each load
 * posts `ready` again and the owner re-sends the whole state from `onReady`. Messages posted while the view is
 * not ready are dropped, since that resend covers them.
 */
import * as vscode from 'vscode';
import { createNonce, webviewHtml } from './webview-html.js';

export type ViewBundle = 'dashboard' | 'graph' | 'trajectory';

export interface PanelHostOptions<ToHost extends { type: string }> {
    bundle: ViewBundle;
    title: string;
    parse(value: unknown): ToHost | undefined;
    onReady(): void;
    onMessage(message: Exclude<ToHost, { type: 'ready' }>): void;
    onDispose(): void;
    log?: (message: string) => void;
}

/** Webview options: scripts on, and resources only from out/webview/ (DESIGN.md §6). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
        enableScripts: true,
        enableCommandUris: false,
        localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'out', 'webview')],
    };
}

export class PanelHost<ToView, ToHost extends { type: string }> implements vscode.Disposable {
    private ready = false;
    private readonly subscriptions: vscode.Disposable[] = [];

    constructor(
        readonly panel: vscode.WebviewPanel,
        extensionUri: vscode.Uri,
        private readonly options: PanelHostOptions<ToHost>,
    ) {
        const webview = panel.webview;
        webview.options = webviewOptions(extensionUri);
        const asset = (ext: string) =>
            webview
                .asWebviewUri(vscode.Uri.joinPath(extensionUri, 'out', 'webview', `${options.bundle}.${ext}`))
                .toString();
        webview.html = webviewHtml({
            cspSource: webview.cspSource,
            nonce: createNonce(),
            scriptUri: asset('js'),
            styleUri: asset('css'),
            title: options.title,
        });
        this.subscriptions.push(
            webview.onDidReceiveMessage((value: unknown) => this.receive(value)),
            panel.onDidChangeViewState(() => {
                // Hidden views are torn down (no retainContextWhenHidden); the next load posts `ready` again.
                if (!panel.visible) this.ready = false;
            }),
            panel.onDidDispose(() => this.dispose()),
        );
    }

    get isReady(): boolean {
        return this.ready;
    }

    post(message: ToView): void {
        if (!this.ready) return;
        void this.panel.webview.postMessage(message).then(undefined, (error: unknown) => {
            this.options.log?.(`Could not post to the ${this.options.bundle} view: ${String(error)}`);
        });
    }

    private receive(value: unknown): void {
        const message = this.options.parse(value);
        if (!message) {
            this.options.log?.(`Ignored an unexpected message from the ${this.options.bundle} view.`);
            return;
        }
        if (message.type === 'ready') {
            this.ready = true;
            this.options.onReady();
            return;
        }
        this.options.onMessage(message as Exclude<ToHost, { type: 'ready' }>);
    }

    private disposed = false;

    dispose(): void {
        if (this.disposed) return;
        this.disposed = true;
        this.ready = false;
        for (const s of this.subscriptions.splice(0)) s.dispose();
        this.options.onDispose();
        this.panel.dispose();
    }
}
