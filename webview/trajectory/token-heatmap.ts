import { CHAR_TOKENIZER, type TurnRecord } from '../../protocol/run-dir.js';
import { divergingCss, parseCssColour } from '../common/diverging-scale.js';
import { element } from '../common/dom.js';
import { cssVariable } from '../common/theme.js';

/** More token spans than this would make the DOM the bottleneck; the rest are summarised. */
const MAX_TOKENS = 2000;
const MAX_TOKEN_TEXT = 40;

export type TokenMode = 'credit' | 'logprob';

/** The text of one id of the character tokenizer (protocol/run-dir.ts CHAR_TOKENIZER); specials are named. */
function charToken(id: number): string {
    const { alphabet, offset, padId, eosId, unkId } = CHAR_TOKENIZER;
    if (id >= offset && id - offset < alphabet.length) return alphabet[id - offset]!;
    if (id === eosId) return '⟨eos⟩';
    if (id === padId) return '⟨pad⟩';
    return id === unkId ? '\ufffd' : `⟨${id}⟩`;
}

/** What each token of a turn shows: its character where it can be known, else its id. */
export function tokenTexts(turn: Pick<TurnRecord, 'token_ids' | 'output'>, charTokenizer: boolean): string[] {
    if (charTokenizer) return turn.token_ids.map(charToken);
    const chars = Array.from(turn.output);
    return chars.length === turn.token_ids.length ? chars : turn.token_ids.map((id) => `⟨${id}⟩`);
}

/**
 * The tokens of one message coloured by the decision's credit (broadcast to every token, as the trainer does) or
 * by each token's log-probability. Run records hold token ids, not token texts: a `vocab: chars` agent's ids decode
 * to their characters (first-hour bug B10: its 71-token messages showed ids whenever the output text and the ids
 * differ in length, e.g. by an end token); otherwise, when the output has exactly one code point per
 * token, each token shows its character, else its id.
 */
export function tokenHeatmap(
    turn: TurnRecord,
    credit: number | undefined,
    mode: TokenMode,
    charTokenizer = false,
): HTMLElement {
    const ids = turn.token_ids;
    const texts = tokenTexts(turn, charTokenizer);
    const neutral = parseCssColour(cssVariable('--vscode-editor-background', '#1e1e1e'), [30, 30, 30]);
    const lpExtent = turn.logprobs.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const creditExtent = Math.max(1e-9, Math.abs(credit ?? 0));
    const spans: HTMLElement[] = [];
    for (let i = 0; i < Math.min(ids.length, MAX_TOKENS); i++) {
        const lp = turn.logprobs[i];
        const value = mode === 'credit' ? (credit ?? NaN) : (lp ?? NaN);
        const raw = texts[i]!;
        const text = raw.length > MAX_TOKEN_TEXT ? `${raw.slice(0, MAX_TOKEN_TEXT)}…` : raw;
        const span = element('span', {
            className: 'token',
            text: text === '\n' ? '⏎' : text,
            title: `token ${i} · id ${ids[i]} · logprob ${lp === undefined ? '–' : lp.toFixed(3)}${credit === undefined ? '' : ` · credit ${credit.toFixed(3)}`}`,
        });
        span.style.background = divergingCss(value, mode === 'credit' ? creditExtent : lpExtent, neutral);
        spans.push(span);
    }
    if (ids.length > MAX_TOKENS)
        spans.push(element('span', { className: 'hint', text: ` … ${ids.length - MAX_TOKENS} more tokens` }));
    if (ids.length === 0)
        spans.push(element('span', { className: 'hint', text: 'no tokens (a nulled or empty turn)' }));
    const note =
        mode === 'credit'
            ? 'credit of this decision, the same for each of its tokens'
            : 'log-probability of each token (darker red = less likely)';
    return element(
        'div',
        { className: 'token-heatmap' },
        element('div', { className: 'tokens' }, ...spans),
        element('div', { className: 'hint', text: note }),
    );
}
