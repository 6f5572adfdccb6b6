/** Cuts `text` to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
    let bytes = 0;
    let end = 0;
    for (const character of text) {
        const size = Buffer.byteLength(character, 'utf8');
        if (bytes + size > maxBytes) {
            break;
        }
        bytes += size;
        end += character.length;
    }
    return text.slice(0, end);
}
