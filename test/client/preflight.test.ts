// The pure parts of Start Training's pre-flight (client/src/training/preflight.ts); the command itself is driven
// end to end in preflight-commands.test.ts.
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cudaDeviceOffsets, huggingFaceHubCache } from '../../client/src/training/preflight.js';

describe('huggingFaceHubCache: the folder huggingface_hub reads', () => {
    it('prefers HF_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME, then ~/.cache', () => {
        const home = '/home/u';
        expect(huggingFaceHubCache({ HF_HUB_CACHE: '/c', HF_HOME: '/h' }, home)).toBe('/c');
        expect(huggingFaceHubCache({ HF_HOME: '/h', XDG_CACHE_HOME: '/x' }, home)).toBe(path.join('/h', 'hub'));
        expect(huggingFaceHubCache({ XDG_CACHE_HOME: '/x' }, home)).toBe(path.join('/x', 'huggingface', 'hub'));
        expect(huggingFaceHubCache({}, home)).toBe(path.join(home, '.cache', 'huggingface', 'hub'));
    });
});

describe('cudaDeviceOffsets: where "Use device: auto" writes', () => {
    it('finds the cuda of the first device setting that is not commented out', () => {
        const text = 'train {\n  // device: cuda was too slow\n  device:cuda\n}\n';
        const found = cudaDeviceOffsets(text)!;
        expect(text.slice(found.start, found.end)).toBe('cuda');
        expect(text.slice(0, found.start)).toBe('train {\n  // device: cuda was too slow\n  device:');
    });

    it('is undefined without one (device: cudax is another word)', () => {
        expect(cudaDeviceOffsets('train {\n  device: auto\n}\n// device: cuda\n')).toBeUndefined();
        expect(cudaDeviceOffsets('device: cudax')).toBeUndefined();
    });
});
