/**
 * Text the CLI prints for people (not --json, where JSON.stringify escapes).
 * File names, folder names and labels come from the disk or the user: a name
 * such as `a\x1b[31mred\x07.jpg` or one with a line break must not recolour
 * the terminal, ring its bell, move the cursor or fake a second line.
 */

/** Bidirectional overrides and isolates: they reorder what follows on screen. */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// C0 controls, DEL, C1 controls and the bidi marks, one character at a time.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `text` with every control character written as an escape (`\n`, `\x1b`, `\u202e`). */
export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const named = NAMED[char];
    if (named) return named;
    const code = char.charCodeAt(0);
    return BIDI.test(char)
      ? `\\u${code.toString(16).padStart(4, '0')}`
      : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

/**
 * Writes one line of text for a person: the line is made printable (so
 * whatever it quotes from the disk or the command line cannot take over the
 * terminal), then ended with a newline.
 */
export function writeLine(stream: NodeJS.WritableStream, line: string): void {
  stream.write(`${printable(line)}\n`);
}
