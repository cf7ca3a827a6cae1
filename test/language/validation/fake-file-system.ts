import { EmptyFileSystemProvider, type FileSystemNode, type FileSystemProvider, type URI } from 'langium';

/**
 * A file system where every path is a file except those whose name contains `missing` (they fail as
 * Node's `fs.statSync` does, with ENOENT): the fixtures name their datasets freely, and the one fixture
 * about a missing dataset file names it `missing.jsonl`. Files cannot be read (checks that read them stay
 * silent), except `nodef.py`, a Python file that defines only `other`, for the fixture about a missing `def`.
 */
export class EverythingButMissingFileSystem extends EmptyFileSystemProvider implements FileSystemProvider {
    override statSync(uri: URI): FileSystemNode {
        if (uri.path.split('/').pop()?.includes('missing')) {
            throw Object.assign(new Error(`ENOENT: no such file or directory, stat '${uri.fsPath}'`), {
                code: 'ENOENT',
            });
        }
        return { isFile: true, isDirectory: false, uri };
    }

    override readBinarySync(uri?: URI): Uint8Array {
        if (uri?.path.endsWith('/nodef.py')) return new TextEncoder().encode('def other(text):\n    return True\n');
        return super.readBinarySync();
    }
}

export const everythingButMissing = { fileSystemProvider: () => new EverythingButMissingFileSystem() };
