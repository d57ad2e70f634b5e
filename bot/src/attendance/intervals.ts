/**
 * Time spans as milliseconds since the epoch, and the two operations corrections need: union (adding time
 * someone was there) and difference (removing time). Results are sorted and disjoint. Reconciliation uses the
 * union too, to merge one person's overlapping call-record sessions.
 */
/** A stretch of time in epoch milliseconds, `from` inclusive, `to` exclusive. */
export interface Span {
  from: number;
  to: number;
}

/** The union of spans as disjoint spans, earliest first; overlapping or touching spans merge, empty ones vanish. */
export function unionOf(spans: readonly Span[]): Span[] {
  const sorted = spans.filter((span) => span.to > span.from).sort((a, b) => a.from - b.from || a.to - b.to);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged.at(-1);
    if (last && span.from <= last.to) last.to = Math.max(last.to, span.to);
    else merged.push({ ...span });
  }
  return merged;
}

/** `spans` without any moment of `removed`. */
export function withoutSpan(spans: readonly Span[], removed: Span): Span[] {
  return unionOf(
    spans.flatMap((span) => {
      if (removed.to <= span.from || removed.from >= span.to) return [span];
      return [
        { from: span.from, to: Math.min(span.to, removed.from) },
        { from: Math.max(span.from, removed.to), to: span.to },
      ];
    }),
  );
}

/** `spans` cut to [from, to]. */
export function clippedTo(spans: readonly Span[], from: number, to: number): Span[] {
  return unionOf(spans.map((span) => ({ from: Math.max(span.from, from), to: Math.min(span.to, to) })));
}

/** Whole seconds covered, each span truncated on its own (as Graph counts each interval's durationInSeconds). */
export function wholeSecondsOf(spans: readonly Span[]): number {
  return spans.reduce((sum, span) => sum + Math.floor((span.to - span.from) / 1000), 0);
}
