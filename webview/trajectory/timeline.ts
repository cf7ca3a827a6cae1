import type { TrajectoryRecord } from '../../protocol/run-dir.js';
import { divergingCss, parseCssColour, type Rgb } from '../common/diverging-scale.js';
import { clip, element } from '../common/dom.js';
import { ownValue } from '../common/own-key.js';
import { cssVariable } from '../common/theme.js';
import { VirtualList } from '../common/virtual-list.js';

const ROW_HEIGHT = 24;

/**
 * The turns of a rollout as a virtualised list: index, agent, role, the start of the message (as text), tokens and
 * a credit swatch. Click or arrow keys choose the turn; the chosen turn is highlighted.
 */
export class Timeline {
    readonly element: HTMLElement;
    private readonly list: VirtualList;
    private record: TrajectoryRecord | undefined;
    private tokenCounts: readonly number[] | undefined;
    private method = '';
    private selected = 0;
    /** Scale of the credit swatches, computed once per rollout and method (rows render on every scroll frame). */
    private extent = 1e-9;
    private neutral: Rgb = [30, 30, 30];
    /** Turn → decision index (−1: no decision), so a row finds its credit without searching. */
    private decisionOf = new Int32Array(0);

    constructor(private readonly onSelect: (turn: number) => void) {
        this.list = new VirtualList(ROW_HEIGHT, (i) => this.row(i), 'timeline');
        this.list.element.setAttribute('aria-label', 'turns');
        this.list.element.addEventListener('keydown', (e) => {
            if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
                e.preventDefault();
                this.onSelect(this.selected + (e.key === 'ArrowDown' ? 1 : -1));
            }
        });
        this.element = this.list.element;
    }

    /** `tokenCounts`: the turns' lengths when their token arrays were left out (a report without --tokens). */
    setRollout(record: TrajectoryRecord, method: string, tokenCounts?: readonly number[]): void {
        this.record = record;
        this.tokenCounts = tokenCounts;
        this.decisionOf = new Int32Array(record.turns.length).fill(-1);
        record.decision_turns.forEach((turn, j) => {
            if (turn >= 0 && turn < record.turns.length) this.decisionOf[turn] = j;
        });
        this.updateScale(method);
        this.list.setCount(record.turns.length);
    }

    setMethod(method: string): void {
        this.updateScale(method);
        this.list.refresh();
    }

    private updateScale(method: string): void {
        this.method = method;
        let extent = 1e-9;
        for (const v of ownValue(this.record?.credit, method) ?? []) extent = Math.max(extent, Math.abs(v));
        this.extent = extent;
        this.neutral = parseCssColour(cssVariable('--vscode-editor-background', '#1e1e1e'), [30, 30, 30]);
    }

    select(turn: number): void {
        this.selected = turn;
        this.list.scrollToIndex(turn);
    }

    get renderedRows(): number {
        return this.list.renderedRows;
    }

    private row(i: number): HTMLElement {
        const turn = this.record!.turns[i]!;
        const decision = this.decisionOf[i] ?? -1;
        const frozen = turn.frozen === true; // a frozen agent: never trained, so no credit colour
        const credit = decision >= 0 && !frozen ? ownValue(this.record!.credit, this.method)?.[decision] : undefined;
        const swatch = element('span', {
            className: 'swatch',
            title: frozen
                ? 'frozen: never trained, no training credit'
                : credit === undefined
                  ? 'no decision'
                  : `credit ${credit.toFixed(4)}`,
        });
        swatch.style.background =
            credit === undefined ? 'transparent' : divergingCss(credit, this.extent, this.neutral);
        const row = element(
            'div',
            {
                className: `turn-row${i === this.selected ? ' selected' : ''}${turn.nulled ? ' nulled' : ''}${frozen ? ' frozen' : ''}`,
                attrs: { 'data-turn': String(i) },
            },
            swatch,
            element('span', { className: 'turn-index', text: `#${turn.index}` }),
            element('span', { className: 'turn-agent', text: turn.agent }),
            element('span', { className: 'turn-role', text: turn.role }),
            element('span', {
                className: 'turn-text',
                text: clip(turn.output.slice(0, 200).replace(/\s+/g, ' '), 120),
            }),
            element('span', {
                className: 'turn-tokens',
                text: `${this.tokenCounts?.[i] ?? turn.token_ids.length} tok`,
            }),
        );
        row.addEventListener('click', () => this.onSelect(i));
        return row;
    }
}
