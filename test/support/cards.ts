/** Reading what the bot posted: plain text, Adaptive Cards, and the rows of the attendance card. */
import type { PostedActivity } from './fakeConnector.js';

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

/** The Adaptive Card a posted activity carries, or undefined. */
export function adaptiveCardOf(activity: PostedActivity): any {
  const attachments: any[] = activity.body.attachments ?? [];
  return attachments.find((attachment) => attachment.contentType === ADAPTIVE_CARD)?.content;
}

export function isAdaptiveCard(activity: PostedActivity): boolean {
  return adaptiveCardOf(activity) !== undefined;
}

/** Every TextBlock text in the card, in document order. */
export function cardTexts(card: any): string[] {
  const texts: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const element = node as Record<string, unknown>;
      if (element['type'] === 'TextBlock' && typeof element['text'] === 'string') texts.push(element['text']);
      for (const value of Object.values(element)) visit(value);
    }
  };
  visit(card);
  return texts;
}

/** The attendance card's rows, read column by column: { Name, Total, Sessions, First join, Last leave }. */
export function attendanceRows(card: any): Record<string, string>[] {
  const columnSet = (card.body as any[]).find((element) => element.type === 'ColumnSet');
  if (!columnSet) return [];
  const columns = (columnSet.columns as any[]).map((column) => (column.items as any[]).map((item) => String(item.text)));
  const headers = columns.map((column) => column[0] ?? '');
  const rowCount = Math.max(...columns.map((column) => column.length - 1));
  return Array.from({ length: rowCount }, (_, row) =>
    Object.fromEntries(headers.map((header, index) => [header, columns[index]?.[row + 1] ?? ''])),
  );
}

/** The presence card's facts: [{ title: name, value: "since …" }]. */
export function presenceFacts(card: any): { title: string; value: string }[] {
  const factSet = (card.body as any[]).find((element) => element.type === 'FactSet');
  return factSet ? (factSet.facts as { title: string; value: string }[]) : [];
}
