/**
 * Warnings collects what was wrong with a document. Repeats of one message are counted instead of
 * listed, so a feed with ten thousand `&nbsp;` gives one line, and the list is capped.
 */
export class Warnings {
  private readonly seen = new Map<string, { line: number; count: number }>();
  private readonly plain: string[] = [];
  private overflow = 0;
  private lineAt = 0;
  private line = 1;
  private damaged = false;

  /** add records a problem found at character offset `pos` of `text` (used for the line number). */
  add(pos: number, message: string, text: string): void {
    const known = this.seen.get(message);
    if (known) {
      known.count++;
      return;
    }
    if (this.seen.size >= MAX_DISTINCT) {
      this.overflow++;
      return;
    }
    this.seen.set(message, { line: this.lineOf(pos, text), count: 1 });
  }

  /**
   * recover records a problem whose repair guessed at the document's structure (a cut-off end,
   * content after the root, a close tag that closes others): what follows may be missing or wrong,
   * so the whole document is `recovered`. A character-level repair (an entity, a control character)
   * is an `add`, not this.
   */
  recover(pos: number, message: string, text: string): void {
    this.damaged = true;
    this.add(pos, message, text);
  }

  /** recovered is true once any problem was recorded with `recover`. */
  get recovered(): boolean {
    return this.damaged;
  }

  /** note records a problem that has no position (decoding, document-level findings). */
  note(message: string): void {
    this.plain.push(message);
  }

  /** list renders the warnings: positionless notes first, then by first occurrence. */
  list(): string[] {
    const out = [...this.plain];
    for (const [message, { line, count }] of this.seen) {
      out.push(`line ${line}: ${message}${count > 1 ? ` (${count} times)` : ''}`);
    }
    if (this.overflow > 0) out.push(`${this.overflow} more warnings of other kinds not listed`);
    return out;
  }

  // Positions mostly grow, so counting newlines from the last one keeps this linear overall.
  private lineOf(pos: number, text: string): number {
    if (pos < this.lineAt) {
      this.lineAt = 0;
      this.line = 1;
    }
    let index = text.indexOf('\n', this.lineAt);
    while (index >= 0 && index < pos) {
      this.line++;
      this.lineAt = index + 1;
      index = text.indexOf('\n', this.lineAt);
    }
    return this.line;
  }
}

const MAX_DISTINCT = 100;
