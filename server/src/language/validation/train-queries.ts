import { GrammarUtils } from 'langium';
import type { Position } from 'vscode-languageserver';
import { isMethodCall, type MethodCall, type Train } from '../generated/ast.js';

/** The `algorithm:` call of a train block, when it is written as one. */
export function algorithmCall(train: Train): MethodCall | undefined {
    const value = train.settings.find((setting) => setting.key === 'algorithm')?.value;
    return isMethodCall(value) ? value : undefined;
}

/** Where `train {` ends, for fixes that add a setting. */
export function trainBodyStart(train: Train): Position | undefined {
    return GrammarUtils.findNodeForKeyword(train.$cstNode, '{')?.range.end;
}
