import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CHAR_TOKENIZER } from '../../protocol/run-dir.js';
import { tokenTexts } from '../../webview/trajectory/token-heatmap.js';
import { testPython } from '../client/helpers.js';

const { offset, eosId, unkId } = CHAR_TOKENIZER;
const idOf = (c: string): number => offset + CHAR_TOKENIZER.alphabet.indexOf(c);

describe('token strip texts', () => {
    it("decodes a vocab: chars agent's ids to characters even when the output text is shorter (first-hour bug B10)", () => {
        const turn = { output: 'Hi', token_ids: [idOf('H'), idOf('i'), eosId] };
        expect(tokenTexts(turn, false)).toEqual([`⟨${idOf('H')}⟩`, `⟨${idOf('i')}⟩`, `⟨${eosId}⟩`]); // what it showed
        expect(tokenTexts(turn, true)).toEqual(['H', 'i', '⟨eos⟩']);
        expect(tokenTexts({ output: '', token_ids: [unkId, idOf('\n'), 999] }, true)).toEqual([
            '\ufffd',
            '\n',
            '⟨999⟩',
        ]);
    });

    it('shows characters of other tokenizers only when there is one per id', () => {
        expect(tokenTexts({ output: 'ab', token_ids: [7, 8] }, false)).toEqual(['a', 'b']);
        expect(tokenTexts({ output: 'abc', token_ids: [7, 8] }, false)).toEqual(['⟨7⟩', '⟨8⟩']);
    });

    it("CHAR_TOKENIZER is the twin of the trainer's CharTokenizer", () => {
        const python = JSON.parse(
            execFileSync(
                testPython,
                [
                    '-c',
                    'import json; from mas_trainer.tokenizer import CharTokenizer as T; t = T(); ' +
                        'print(json.dumps({"alphabet": "".join(t.chars), "offset": t.char_to_id[t.chars[0]], "padId": t.PAD, "eosId": t.EOS, "unkId": t.UNK}))',
                ],
                { env: { ...process.env, PYTHONPATH: 'trainer' }, encoding: 'utf8' },
            ),
        ) as unknown;
        expect(python).toEqual({ ...CHAR_TOKENIZER });
    });
});
