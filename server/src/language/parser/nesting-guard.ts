import type { IToken } from 'chevrotain';

/**
 * How deep brackets and prefix operators may nest. Parsing, linking and validation recurse once
 * (parsing: about ten stack frames per rule) per level, so a pathological file — 10 000 nested
 * parentheses, or a paste gone wrong — would overflow the stack and crash the language server.
 * No hand-written workflow comes near this depth.
 */
export const MAX_NESTING_DEPTH = 40;

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);
/** Prefix operators recurse in the grammar (`Not: 'not' Not`, `Unary: '-' Unary`). */
const PREFIX_OPERATORS = new Set(['not', '-']);

/**
 * Index of the first token that nests deeper than `maxDepth`, or -1. A level is an open bracket or
 * a prefix operator that has not yet reached its operand: `not not x` is two levels while `x`
 * is read, `not a and not b` never more than one.
 */
export function findExcessiveNesting(tokens: readonly IToken[], maxDepth = MAX_NESTING_DEPTH): number {
    // Pending prefix operators per open bracket; the bottom entry is the top level of the file.
    const pendingPrefixes: number[] = [0];
    let depth = 0;
    for (let i = 0; i < tokens.length; i++) {
        const image = tokens[i]!.tokenType.name;
        if (OPENERS.has(image)) {
            pendingPrefixes.push(0);
            depth++;
        } else if (CLOSERS.has(image)) {
            if (pendingPrefixes.length > 1) {
                depth -= 1 + pendingPrefixes.pop()!;
            }
        } else if (PREFIX_OPERATORS.has(image)) {
            pendingPrefixes[pendingPrefixes.length - 1]!++;
            depth++;
        } else {
            // An operand or another operator ends the run of prefixes of this level.
            depth -= pendingPrefixes[pendingPrefixes.length - 1]!;
            pendingPrefixes[pendingPrefixes.length - 1] = 0;
        }
        if (depth > maxDepth) {
            return i;
        }
    }
    return -1;
}
