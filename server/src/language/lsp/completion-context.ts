import type { IToken } from 'chevrotain';

/**
 * Where the cursor is, as far as the training catalogue is concerned. Found from the tokens
 * before the cursor rather than from the AST, because while the user types (`credit: `,
 * `grpo(gr`) the text rarely parses.
 */
export type CatalogContext =
    /** `train { credit: |` — a value of a train setting (`block: 'model'`: of a model block, `model m { dtype: |`). */
    | { kind: 'setting-value'; setting: string; block?: 'model' | 'agent'; wordStart: number }
    /** `grpo(|`, `lora(rank: 8, |` — an argument name of a call. */
    | { kind: 'argument-name'; call: string; setting?: string; given: string[]; wordStart: number }
    /** `scratch(vocab: |` — an argument value. */
    | { kind: 'argument-value'; call: string; setting?: string; argument: string; wordStart: number };

const WORD = /^[_a-zA-Z]\w*$/;
const OPENERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' };

/**
 * Classifies the cursor at `offset` given the tokens of the text before it. A word that ends at
 * the cursor is the word being typed: it is replaced by the completion, so it is left out.
 */
export function findCatalogContext(tokensBeforeCursor: readonly IToken[], offset: number): CatalogContext | undefined {
    let tokens = tokensBeforeCursor.filter((token) => tokenEnd(token) <= offset);
    let wordStart = offset;
    const last = tokens.at(-1);
    if (last && tokenEnd(last) === offset && WORD.test(last.image)) {
        wordStart = last.startOffset;
        tokens = tokens.slice(0, -1);
    }
    const previous = tokens.at(-1)?.image;
    if (previous === ':') {
        const key = tokens.at(-2)?.image;
        const opener = findOpener(tokens, tokens.length - 3);
        if (!key || opener === undefined) {
            return undefined;
        }
        if (tokens[opener]!.image === '{' && tokens[opener - 1]?.image === 'train') {
            return { kind: 'setting-value', setting: key, wordStart };
        }
        const block = tokens[opener]!.image === '{' ? blockAt(tokens, opener) : undefined;
        if (block) {
            return { kind: 'setting-value', setting: key, block, wordStart };
        }
        const call = callAt(tokens, opener);
        return call ? { kind: 'argument-value', ...call, argument: key, wordStart } : undefined;
    }
    if (previous === '(' || previous === ',') {
        const opener = previous === '(' ? tokens.length - 1 : findOpener(tokens, tokens.length - 2);
        const call = opener === undefined ? undefined : callAt(tokens, opener);
        if (!call || opener === undefined) {
            return undefined;
        }
        const given = tokens
            .slice(opener + 1)
            .filter((_token, i, inside) => inside[i + 1]?.image === ':')
            .map((token) => token.image);
        return { kind: 'argument-name', ...call, given, wordStart };
    }
    return undefined;
}

/** The index of the innermost bracket still open at `from` (scanning backwards), if any. */
function findOpener(tokens: readonly IToken[], from: number): number | undefined {
    const closers: string[] = [];
    for (let i = from; i >= 0; i--) {
        const image = tokens[i]!.image;
        if (image in OPENERS) {
            closers.push(image);
        } else if (image === '(' || image === '[' || image === '{') {
            const closer = closers.pop();
            if (closer === undefined) {
                return i;
            }
            if (OPENERS[closer] !== image) {
                return undefined;
            }
        }
    }
    return undefined;
}

/** `model m {` or `agent a: Role {` at `opener`: which declaration's block the brace opens. */
function blockAt(tokens: readonly IToken[], opener: number): 'model' | 'agent' | undefined {
    if (tokens[opener - 2]?.image === 'model') return 'model';
    if (tokens[opener - 4]?.image === 'agent' && tokens[opener - 2]?.image === ':') return 'agent';
    return undefined;
}

/** `name(` at `opener`: the call name and, for `credit: name(`, the setting it belongs to. */
function callAt(tokens: readonly IToken[], opener: number): { call: string; setting?: string } | undefined {
    if (tokens[opener]?.image !== '(') {
        return undefined;
    }
    const call = tokens[opener - 1]?.image;
    if (!call || !WORD.test(call)) {
        return undefined;
    }
    const setting = tokens[opener - 2]?.image === ':' ? tokens[opener - 3]?.image : undefined;
    return setting ? { call, setting } : { call };
}

/** The offset just after a token (Chevrotain's `endOffset` is inclusive). */
function tokenEnd(token: IToken): number {
    return (token.endOffset ?? token.startOffset + token.image.length - 1) + 1;
}
