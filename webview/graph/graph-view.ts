import ElkBundled from 'elkjs/lib/elk.bundled.js';
import { GRAPH_MODEL_VERSION } from '../../protocol/graph-model.js';
import type { GraphState, GraphToHost, GraphToView } from '../../protocol/webview-messages.js';
import { clip, element } from '../common/dom.js';
import type { HostConnection } from '../common/vscode-api.js';
import { toElkGraph, type Measure } from './elk-graph.js';
import { renderGraph } from './render-svg.js';

/** Text widths from a canvas with the page's own font, so node boxes fit their labels. */
function canvasMeasure(): Measure {
    const context = document.createElement('canvas').getContext('2d');
    const style = getComputedStyle(document.body);
    const family = style.fontFamily || 'sans-serif';
    const size = style.fontSize || '13px';
    return (text, font) => {
        if (!context) return text.length * 8;
        context.font = `${font === 'title' ? 'bold ' : ''}${size} ${family}`;
        return context.measureText(text).width;
    };
}

/**
 * The graph page. Models arrive as the user types; layouts run asynchronously in ELK, and a layout that
 * finishes after a newer model arrived is thrown away, so the view never goes back to an older graph.
 */
export class GraphView {
    // elk.bundled is CommonJS: its constructor is both module.exports and module.exports.default.
    private readonly elk = new ElkBundled.default();
    private readonly title = element('h1', { className: 'workflow' });
    private readonly status = element('p', { className: 'status', attrs: { 'aria-live': 'polite' } });
    private readonly problems = element('ul', { className: 'problems' });
    private readonly canvas = element('div', { className: 'canvas' });
    private generation = 0;
    private readonly measure = canvasMeasure();

    constructor(
        root: HTMLElement,
        private readonly host: HostConnection<GraphToHost, GraphState>,
    ) {
        root.replaceChildren(this.title, this.status, this.problems, this.canvas);
        this.status.textContent = 'Waiting for the language server…';
    }

    async handle(message: GraphToView): Promise<void> {
        const generation = ++this.generation;
        if (message.type === 'graph/unavailable') {
            this.showStatus(message.reason);
            this.canvas.replaceChildren();
            return;
        }
        const model = message.model;
        if (model.version !== GRAPH_MODEL_VERSION) {
            this.showStatus(
                `This graph model has version ${String(model.version)}; this view draws version ${GRAPH_MODEL_VERSION}. Update MAS Studio.`,
            );
            return;
        }
        this.host.saveState({ view: 'graph', uri: model.uri });
        const { graph, dropped } = toElkGraph(model, this.measure);
        try {
            const laidOut = await this.elk.layout(graph);
            if (generation !== this.generation) return;
            this.canvas.replaceChildren(
                renderGraph(laidOut, model, (id) => this.host.post({ type: 'graph/reveal', id })),
            );
        } catch (error) {
            if (generation !== this.generation) return;
            this.showStatus(`The graph could not be laid out: ${(error as Error).message}`);
            return;
        }
        this.title.textContent = clip(model.workflow, 200);
        this.title.title = model.workflow;
        const agents = model.nodes.filter((n) => n.kind === 'agent').length;
        this.showStatus(
            agents === 0
                ? 'This workflow declares no agents yet.'
                : `${agents} agent${agents === 1 ? '' : 's'}, ${model.edges.length} edge${model.edges.length === 1 ? '' : 's'}`,
        );
        const loose = model.markers
            .filter((m) => m.target === null)
            .map(
                (m) => `${m.diagnostic.severity} (line ${m.diagnostic.range.start.line + 1}): ${m.diagnostic.message}`,
            );
        this.problems.replaceChildren(
            ...[...loose, ...dropped.map((d) => d.reason)].map((text) =>
                element('li', { text: clip(text, 1000), title: text }),
            ),
        );
        document.body.dataset['renderedGeneration'] = String(generation);
    }

    private showStatus(text: string): void {
        this.status.textContent = clip(text, 2000);
    }
}
