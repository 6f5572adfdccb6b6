import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

/** The example mini-program's sources: what WeChat DevTools compiles (miniprogramRoot). */
export const EXAMPLE_SOURCES = path.resolve(__dirname, '../../examples/miniprogram/miniprogram');

/** Every file under `directory` whose name ends with `extension`. */
export function sourceFiles(directory: string, extension: string): string[] {
    return readdirSync(directory).flatMap((name) => {
        const file = path.join(directory, name);
        return statSync(file).isDirectory() ? sourceFiles(file, extension) : name.endsWith(extension) ? [file] : [];
    });
}
