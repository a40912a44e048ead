// Splitting a text message into lines without copying more than each line.

/**
 * Calls `visit` for every non-empty line with its 1-based line number. `\n` ends a line; a `\r`
 * before it is dropped. Empty lines are skipped (Kafka producers often end with a newline).
 */
export function forEachLine(text: string, visit: (line: string, lineNumber: number) => void): void {
  let start = 0;
  let lineNumber = 1;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const contentEnd = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
    if (contentEnd > start) visit(text.slice(start, contentEnd), lineNumber);
    start = end + 1;
    lineNumber++;
  }
}
