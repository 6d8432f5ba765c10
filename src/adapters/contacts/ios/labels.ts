/**
 * ABMultiValueLabel values and vCard TYPE parameters.
 *
 * Labels are stored once in ABMultiValueLabel(value UNIQUE) and referenced by ROWID from
 * ABMultiValue.label. Built-in labels are wrapped, `_$!<Mobile>!$_`; custom labels are plain
 * text (`TextNow`). The model carries the label verbatim in an X-ABLabel companion, as
 * Apple's vCard export does for labels without a vCard TYPE; built-in labels that have a TYPE
 * equivalent also get it, so that other vCard readers understand them.
 */
import type Database from "better-sqlite3";
import { statement } from "../../shared/statements.js";
import { Property } from "./schema.js";

/** Built-in label name (inside `_$!<...>!$_`) to TYPE values, per property. */
const TYPES_BY_LABEL: Record<number, Record<string, string[]>> = {
  [Property.phone]: {
    Mobile: ["cell"],
    iPhone: ["iphone"],
    Home: ["home"],
    Work: ["work"],
    Main: ["main"],
    HomeFAX: ["home", "fax"],
    WorkFAX: ["work", "fax"],
    OtherFAX: ["other", "fax"],
    Pager: ["pager"],
    Other: ["other"],
  },
  [Property.email]: { Home: ["home"], Work: ["work"], Other: ["other"] },
  [Property.address]: { Home: ["home"], Work: ["work"], Other: ["other"] },
  [Property.url]: { Home: ["home"], Work: ["work"], Other: ["other"] },
};

/** TYPE values that say nothing about the label. */
const NEUTRAL_TYPES = new Set(["voice", "internet", "pref", "x400"]);

const BUILT_IN = /^_\$!<(.+)>!\$_$/;

export const builtInLabel = (name: string) => `_$!<${name}>!$_`;

/** The TYPE values a stored label implies for the property, [] for custom labels. */
export function typesForLabel(property: number, label: string): string[] {
  const name = BUILT_IN.exec(label)?.[1];
  return (name && TYPES_BY_LABEL[property]?.[name]) || [];
}

/** The built-in label that TYPE values describe, for entries that have no X-ABLabel. */
export function labelForTypes(property: number, types: string[]): string | undefined {
  const wanted = types
    .map((t) => t.toLowerCase())
    .filter((t) => !NEUTRAL_TYPES.has(t))
    .sort()
    .join(",");
  if (wanted === "") return undefined;
  const table = TYPES_BY_LABEL[property] ?? {};
  for (const [name, values] of Object.entries(table)) {
    if ([...values].sort().join(",") === wanted) return builtInLabel(name);
  }
  return undefined;
}

/** Label ROWID → text, for one read. */
export function loadLabels(db: Database.Database): Map<number, string> {
  const rows = statement(db, "SELECT ROWID AS id, value FROM ABMultiValueLabel").all() as {
    id: number;
    value: string;
  }[];
  return new Map(rows.map((r) => [r.id, r.value]));
}

/** The ROWID of a label or entry-key text, inserting it when new (both tables are value UNIQUE). */
export function internValue(
  db: Database.Database,
  table: "ABMultiValueLabel" | "ABMultiValueEntryKey",
  value: string,
): number {
  const found = statement(db, `SELECT ROWID AS id FROM ${table} WHERE value = ?`).get(value) as
    | { id: number }
    | undefined;
  if (found) return found.id;
  return Number(statement(db, `INSERT INTO ${table}(value) VALUES (?)`).run(value).lastInsertRowid);
}
