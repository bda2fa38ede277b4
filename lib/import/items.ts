/**
 * What an import could not carry over, had to make up, or wants reviewed: one list, shown by the
 * command and written as comments into the generated file.
 */
import { displayText } from './escape.js';
import { cmp } from '../private/order.js';

/**
 * How much an item matters:
 * - `unmapped`: something of the input is not in the topology (a field, an object, a kind);
 * - `review`: the topology holds a value the input does not say (a placeholder identity or plane
 *   ID, a guardrail opt-out, an object that differs after synthesis): check it before relying on it;
 * - `note`: how the import read something, nothing lost (a derived file skipped, a name assumed).
 */
export type ItemSeverity = 'unmapped' | 'review' | 'note';

/** The severities in the order they are listed. */
export const ITEM_SEVERITIES: readonly ItemSeverity[] = ['unmapped', 'review', 'note'];

/** One entry of the import's list. */
export interface ImportItem {
  readonly severity: ItemSeverity;
  /** The object, e.g. `SharedSecretStore platform/aws-sm`, or a file. Raw text: escaped when shown. */
  readonly object: string;
  /** Field path inside the object, e.g. `spec.provider.aws.auth.jwt`. */
  readonly field?: string;
  /** Why, and what to do. */
  readonly reason: string;
  /** Where the object came from (`file#document`). */
  readonly source?: string;
}

/** A growing list of items. */
export class ItemList {
  private readonly list: ImportItem[] = [];

  public add(item: ImportItem): void {
    this.list.push(item);
  }

  public unmapped(object: string, field: string | undefined, reason: string, source?: string): void {
    this.add({ severity: 'unmapped', object, field, reason, source });
  }

  public review(object: string, field: string | undefined, reason: string, source?: string): void {
    this.add({ severity: 'review', object, field, reason, source });
  }

  public note(object: string, field: string | undefined, reason: string, source?: string): void {
    this.add({ severity: 'note', object, field, reason, source });
  }

  /**
   * Every item, by severity, then object, field and reason; duplicates dropped, and notes that say
   * the same of several objects merged into one.
   */
  public get items(): ImportItem[] {
    const seen = new Set<string>();
    const out: ImportItem[] = [];
    const notes = new Map<string, ImportItem[]>();
    for (const i of this.list) {
      const key = JSON.stringify([i.severity, i.object, i.field, i.reason, i.source]);
      if (seen.has(key)) continue;
      seen.add(key);
      if (i.severity !== 'note') out.push(i);
      else {
        const same = JSON.stringify([i.field, i.reason]);
        notes.set(same, [...(notes.get(same) ?? []), i]);
      }
    }
    for (const group of notes.values()) {
      const first = group[0];
      if (group.length < 3) out.push(...group);
      else {
        const names = group.map((g) => g.object).sort(cmp);
        const shown = names.slice(0, 4).join(', ');
        out.push({
          severity: 'note',
          object: `${group.length} objects (${shown}${names.length > 4 ? ', ...' : ''})`,
          field: first.field,
          reason: first.reason,
        });
      }
    }
    const rank = (s: ItemSeverity): number => ITEM_SEVERITIES.indexOf(s);
    return out.sort(
      (a, b) =>
        rank(a.severity) - rank(b.severity) ||
        cmp(a.object, b.object) ||
        cmp(a.field ?? '', b.field ?? '') ||
        cmp(a.reason, b.reason) ||
        cmp(a.source ?? '', b.source ?? ''),
    );
  }
}

/** One line for a person: `[unmapped] SharedSecretStore platform/x: spec.y: reason (file#1)`, escaped. */
export function formatItem(item: ImportItem): string {
  const field = item.field ? ` ${displayText(item.field)}:` : '';
  const source = item.source && item.source !== item.object ? ` (${displayText(item.source, 160)})` : '';
  return `[${item.severity}] ${displayText(item.object, 240)}:${field} ${displayText(item.reason, 1000)}${source}`;
}

/** Whether the items leave the import incomplete (exit code 3): any `unmapped` or `review` item. */
export function isIncomplete(items: readonly ImportItem[]): boolean {
  return items.some((i) => i.severity !== 'note');
}
