import { colourExtent, divergingTable, formatTick, parseCssColour, type Rgb } from './diverging-scale.js';
import { element } from './dom.js';
import { cssVariable } from './theme.js';

export interface HeatmapData {
    rows: readonly string[];
    columns: readonly string[];
    /** Row-major; NaN = empty cell. */
    values: Float64Array;
    /** Half-range of the scale (centred on 0). */
    extent: number;
    /** Rows of frozen agents: greyed out and labelled `frozen`, outside the colour scale. */
    frozen?: readonly string[];
}

/** Alpha of the grey that covers a frozen agent's row (over the editor background). */
const FROZEN_ALPHA = 0x55;

const LABEL_WIDTH = 96;
const HEADER_HEIGHT = 18;

/**
 * A heatmap on one canvas: the cells are painted once into an image (one pixel per cell) and drawn scaled, so a
 * million cells cost one drawImage per frame, not a million DOM or SVG elements. Wheel zooms, drag pans, a click
 * reports the cell. Labels are canvas text (never parsed as markup).
 */
export class HeatmapCanvas {
    readonly element: HTMLElement;
    private readonly canvas: HTMLCanvasElement;
    private readonly legend: HTMLElement;
    private image: HTMLCanvasElement | undefined;
    private data: HeatmapData | undefined;
    /** Visible window in cell units: first column/row and cells per axis. */
    private view = { x: 0, y: 0, w: 1, h: 1 };
    private drag: { x: number; y: number; vx: number; vy: number } | undefined;
    /** The column outlined as "current" (the selected turn), if any. */
    private currentColumn: number | undefined;
    /** Names of the frozen agents' rows (HeatmapData.frozen). */
    private frozenRows = new Set<string>();

    constructor(
        private readonly options: {
            height?: number;
            onCell?: (row: number, column: number) => void;
            label?: string;
        } = {},
    ) {
        this.canvas = element('canvas', {
            className: 'heatmap-canvas',
            attrs: { role: 'img', 'aria-label': options.label ?? 'credit heatmap' },
        });
        this.legend = element('div', { className: 'heatmap-legend' });
        this.element = element('div', { className: 'heatmap' }, this.canvas, this.legend);
        this.canvas.addEventListener('wheel', (e) => this.zoom(e), { passive: false });
        this.canvas.addEventListener('pointerdown', (e) => this.startDrag(e));
        this.canvas.addEventListener('pointermove', (e) => this.moveDrag(e));
        this.canvas.addEventListener('pointerup', (e) => this.endDrag(e));
    }

    setData(data: HeatmapData): void {
        this.data = data;
        this.view = { x: 0, y: 0, w: Math.max(1, data.columns.length), h: Math.max(1, data.rows.length) };
        this.frozenRows = new Set(data.frozen ?? []);
        if (this.frozenRows.size > 0) this.canvas.setAttribute('data-frozen-rows', [...this.frozenRows].join('\n'));
        else this.canvas.removeAttribute('data-frozen-rows');
        this.image = this.paintImage(data);
        this.renderLegend(data.extent);
        this.draw();
    }

    /**
     * Outlines one column as the current one (the selected turn), so the heatmap visibly follows stepping. The
     * column is also exposed as `data-current-turn` on the canvas, since canvas pixels are not in the DOM.
     */
    setCurrentColumn(column: number | undefined): void {
        this.currentColumn = column;
        if (column === undefined) this.canvas.removeAttribute('data-current-turn');
        else this.canvas.setAttribute('data-current-turn', String(column));
        this.draw();
    }

    /** Redraw (theme change, resize, pan/zoom). */
    draw(): void {
        const data = this.data;
        const ctx = this.canvas.getContext('2d');
        if (!data || !ctx) return;
        const width = Math.max(200, this.canvas.parentElement?.clientWidth ?? 600);
        const height = this.options.height ?? Math.min(360, HEADER_HEIGHT + Math.max(1, data.rows.length) * 22);
        if (this.canvas.width !== width || this.canvas.height !== height) {
            this.canvas.width = width;
            this.canvas.height = height;
        }
        ctx.clearRect(0, 0, width, height);
        const plotW = width - LABEL_WIDTH,
            plotH = height - HEADER_HEIGHT;
        if (this.image) {
            ctx.imageSmoothingEnabled = false;
            ctx.drawImage(
                this.image,
                this.view.x,
                this.view.y,
                this.view.w,
                this.view.h,
                LABEL_WIDTH,
                HEADER_HEIGHT,
                plotW,
                plotH,
            );
        }
        this.drawCurrentColumn(ctx, data, plotW, plotH);
        ctx.fillStyle = cssVariable('--vscode-foreground', '#cccccc');
        ctx.font = '11px sans-serif';
        ctx.textBaseline = 'middle';
        const rowH = plotH / this.view.h;
        if (rowH >= 10) {
            for (let r = Math.floor(this.view.y); r < Math.min(data.rows.length, this.view.y + this.view.h); r++) {
                const y = HEADER_HEIGHT + (r - this.view.y + 0.5) * rowH;
                if (this.frozenRows.has(data.rows[r]!)) {
                    this.drawFrozenLabel(ctx, data.rows[r]!, y);
                    continue;
                }
                ctx.fillText(clipText(data.rows[r]!, 14), 4, y);
            }
        }
        const colW = plotW / this.view.w;
        if (colW >= 16) {
            for (let c = Math.floor(this.view.x); c < Math.min(data.columns.length, this.view.x + this.view.w); c++) {
                ctx.fillText(
                    clipText(data.columns[c]!, 6),
                    LABEL_WIDTH + (c - this.view.x) * colW + 2,
                    HEADER_HEIGHT / 2,
                );
            }
        }
    }

    /** A frozen agent's label: its name and `frozen`, in the disabled colour. */
    private drawFrozenLabel(ctx: CanvasRenderingContext2D, name: string, y: number): void {
        ctx.save();
        ctx.fillStyle = cssVariable('--vscode-disabledForeground', '#888888');
        ctx.fillText(clipText(name, 8), 4, y);
        ctx.textAlign = 'right';
        ctx.fillText('frozen', LABEL_WIDTH - 4, y);
        ctx.restore();
    }

    private drawCurrentColumn(ctx: CanvasRenderingContext2D, data: HeatmapData, plotW: number, plotH: number): void {
        const column = this.currentColumn;
        if (column === undefined || column < 0 || column >= data.columns.length) return;
        const colW = plotW / this.view.w;
        const left = LABEL_WIDTH + (column - this.view.x) * colW;
        if (left + colW <= LABEL_WIDTH || left >= LABEL_WIDTH + plotW) return; // panned out of view
        ctx.save();
        ctx.strokeStyle = cssVariable('--vscode-focusBorder', '#007fd4');
        ctx.lineWidth = 2;
        // Inset by half the line width so the whole outline stays inside the column and the plot.
        ctx.strokeRect(left + 1, HEADER_HEIGHT + 1, Math.max(1, colW - 2), Math.max(1, plotH - 2));
        ctx.restore();
    }

    /** The cell under a canvas point, or undefined outside the grid. */
    cellAt(px: number, py: number): { row: number; column: number; value: number } | undefined {
        const data = this.data;
        if (!data || px < LABEL_WIDTH || py < HEADER_HEIGHT) return undefined;
        const column = Math.floor(this.view.x + ((px - LABEL_WIDTH) / (this.canvas.width - LABEL_WIDTH)) * this.view.w);
        const row = Math.floor(
            this.view.y + ((py - HEADER_HEIGHT) / (this.canvas.height - HEADER_HEIGHT)) * this.view.h,
        );
        if (row < 0 || column < 0 || row >= data.rows.length || column >= data.columns.length) return undefined;
        return { row, column, value: data.values[row * data.columns.length + column]! };
    }

    private paintImage(data: HeatmapData): HTMLCanvasElement | undefined {
        const cols = data.columns.length,
            rows = data.rows.length;
        if (cols === 0 || rows === 0) return undefined;
        const image = document.createElement('canvas');
        image.width = cols;
        image.height = rows;
        const ctx = image.getContext('2d')!;
        const pixels = ctx.createImageData(cols, rows);
        const table = divergingTable(neutralColour());
        const words = new Uint32Array(pixels.data.buffer); // ImageData is RGBA bytes; little-endian words on every browser VS Code runs on
        const values = data.values;
        const scale = 255 / colourExtent(data.extent);
        const grey = frozenGrey();
        for (let r = 0; r < rows; r++)
            if (this.frozenRows.has(data.rows[r]!)) words.fill(grey, r * cols, (r + 1) * cols); // no colour scale
        for (let i = 0; i < values.length; i++) {
            const v = values[i]!;
            if (v !== v) continue; // NaN stays transparent (ImageData starts zeroed), or grey on a frozen row
            const k = Math.round(v * scale);
            words[i] = table[(k > 255 ? 255 : k < -255 ? -255 : k) + 255]!;
        }
        ctx.putImageData(pixels, 0, 0);
        return image;
    }

    private renderLegend(dataExtent: number): void {
        const extent = colourExtent(dataExtent);
        const bar = element('span', { className: 'heatmap-legend-bar' });
        this.legend.replaceChildren(
            element('span', { text: formatTick(-extent) }),
            bar,
            element('span', { text: formatTick(extent) }),
            element('span', { className: 'heatmap-legend-note', text: '0 = neutral; red below, blue above' }),
        );
    }

    private zoom(event: WheelEvent): void {
        if (!this.data) return;
        event.preventDefault();
        const factor = event.deltaY > 0 ? 1.25 : 0.8;
        const cell = this.cellAt(event.offsetX, event.offsetY);
        const cx = cell ? cell.column : this.view.x + this.view.w / 2;
        const cy = cell ? cell.row : this.view.y + this.view.h / 2;
        const maxW = this.data.columns.length,
            maxH = this.data.rows.length;
        const w = Math.min(maxW, Math.max(1, this.view.w * factor)),
            h = Math.min(maxH, Math.max(1, this.view.h * factor));
        this.view = {
            x: clamp(cx - (cx - this.view.x) * (w / this.view.w), 0, maxW - w),
            y: clamp(cy - (cy - this.view.y) * (h / this.view.h), 0, maxH - h),
            w,
            h,
        };
        this.draw();
    }

    private startDrag(event: PointerEvent): void {
        this.drag = { x: event.offsetX, y: event.offsetY, vx: this.view.x, vy: this.view.y };
    }

    private moveDrag(event: PointerEvent): void {
        const cell = this.cellAt(event.offsetX, event.offsetY);
        this.canvas.title =
            cell && this.data
                ? `${this.data.rows[cell.row]} · ${this.data.columns[cell.column]}: ${this.frozenRows.has(this.data.rows[cell.row]!) ? 'frozen (never trained, no training credit)' : Number.isNaN(cell.value) ? 'no decision' : cell.value.toFixed(4)}`
                : '';
        if (!this.drag || !this.data || event.buttons === 0) return;
        const cellW = (this.canvas.width - LABEL_WIDTH) / this.view.w,
            cellH = (this.canvas.height - HEADER_HEIGHT) / this.view.h;
        this.view.x = clamp(
            this.drag.vx - (event.offsetX - this.drag.x) / cellW,
            0,
            this.data.columns.length - this.view.w,
        );
        this.view.y = clamp(
            this.drag.vy - (event.offsetY - this.drag.y) / cellH,
            0,
            this.data.rows.length - this.view.h,
        );
        this.draw();
    }

    private endDrag(event: PointerEvent): void {
        const moved = this.drag && Math.hypot(event.offsetX - this.drag.x, event.offsetY - this.drag.y) > 3;
        this.drag = undefined;
        if (moved) return;
        const cell = this.cellAt(event.offsetX, event.offsetY);
        if (cell) this.options.onCell?.(cell.row, cell.column);
    }
}

/** The grey of a frozen row as an ImageData word (RGBA bytes, little-endian): the disabled foreground, translucent. */
function frozenGrey(): number {
    const [r, g, b] = parseCssColour(cssVariable('--vscode-disabledForeground', '#888888'), [136, 136, 136]);
    return ((FROZEN_ALPHA << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

function neutralColour(): Rgb {
    return parseCssColour(cssVariable('--vscode-editor-background', '#1e1e1e'), [30, 30, 30]);
}

function clamp(v: number, lo: number, hi: number): number {
    return Math.max(lo, Math.min(Math.max(lo, hi), v));
}

function clipText(text: string, max: number): string {
    return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
