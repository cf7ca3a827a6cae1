// The command ids of protocol/commands.ts are exactly the commands package.json contributes: the client registers
// every one of them, and the server's code lenses name them from there.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COMMAND_IDS } from '../../protocol/commands.js';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as {
    contributes: { commands: { command: string }[] };
};

describe('command ids', () => {
    it('protocol/commands.ts lists each contributed command once, and nothing else', () => {
        const contributed = manifest.contributes.commands.map((c) => c.command).sort();
        expect(Object.values(COMMAND_IDS).sort()).toEqual(contributed);
    });
});
