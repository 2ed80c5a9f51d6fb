// What an import did: counts per kind, every skipped record with its reason (the first few hundred
// kept for the summary; the counts by reason are complete), and everything noted as not carried over.
export class Tally {
  readonly written = new Map<string, number>();
  readonly skipReasons = new Map<string, number>();
  readonly skipped: { id: string; reason: string }[] = [];
  readonly notes = new Map<string, number>();

  add(kind: string, n: number): void {
    this.written.set(kind, (this.written.get(kind) ?? 0) + n);
  }

  skip(id: string, reason: string): void {
    // Reasons that name a value (an email) are grouped by their first words.
    const group = reason.replace(/ \S+@\S+| [0-9a-f-]{32,36}/g, " …");
    this.skipReasons.set(group, (this.skipReasons.get(group) ?? 0) + 1);
    if (this.skipped.length < 200) this.skipped.push({ id, reason });
  }

  note(what: string, n = 1): void {
    this.notes.set(what, (this.notes.get(what) ?? 0) + n);
  }

  toJSON(): unknown {
    return {
      written: Object.fromEntries(this.written), skipped_by_reason: Object.fromEntries(this.skipReasons),
      skipped_examples: this.skipped, not_carried_over: Object.fromEntries(this.notes),
    };
  }
}
