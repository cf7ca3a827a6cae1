/**
 * A FileTail of one file of a run directory, located by the trajectory reader's rule on every read
 * (resolveInRunDirSync: a link that leaves the run directory is refused; the real path is read), so the dashboard
 * and a training session follow exactly what the trajectory view would read. FileTail itself refuses anything but
 * a regular file (FIFOs, devices) by type.
 */
import { resolveInRunDirSync } from '../../../analysis/run-dir/paths.js';
import { FileTail, type TailChunk } from './file-tail.js';

export class RunFileTail {
    private tail: FileTail | undefined;

    /** `startTailBytes` / `startAt`: as FileTail's, applied again if the file's real path changes. */
    constructor(readonly runDir: string, readonly relative: string, private readonly startTailBytes?: number, private readonly startAt?: number) {}

    read(): TailChunk {
        let file: string;
        try {
            file = resolveInRunDirSync(this.runDir, this.relative);
        } catch (error) {
            return { kind: 'refused', reason: (error as Error).message };
        }
        // A new real path is a new file: its first read starts over (fromStart), as after a replace.
        if (file !== this.tail?.file) this.tail = new FileTail(file, this.startTailBytes, this.startAt);
        return this.tail.read();
    }
}
