import { createHash } from "node:crypto";
import { stat } from "node:fs/promises";
import type {
  CollectionMeta,
  Endpoint,
  GuardVerdict,
  Listed,
  ReadResult,
  WriteBatch,
  WriteOutcome,
} from "../../../core/endpoint.js";
import { writeFileAtomic } from "../../shared/atomic-write.js";
import { readIfExists } from "../../shared/read-if-exists.js";
import { fieldsToObject } from "../fields.js";
import {
  type CalendarText,
  type ParsedCalendar,
  parseCalendar,
  serializeCalendar,
  splitCalendar,
} from "../ical.js";
import { calendarItem, nowStamp, sequenceOf } from "../item.js";
import type { CalendarObject } from "../model.js";

/**
 * `file:PATH.ics`: a whole calendar in one file, for import and export. An object's id is its
 * UID and its token a hash of its source text, so only objects whose text changed are read.
 * A write rewrites the file atomically; a file holding an item Cradle cannot read is never
 * rewritten, since that would drop the item. Items without UID (EDS memos) are listed as
 * "line-N", N the line they start on; they are kept apart by that id, never collapsed into one.
 */
export class CalendarsFileEndpoint implements Endpoint {
  readonly domain = "calendars";
  readonly readOnly = false;
  readonly uri: string;
  private text = "";
  private parsed: ParsedCalendar | undefined;
  /** Objects by id (UID, or "line-N" for one without), in file order. */
  private objects = new Map<string, CalendarObject>();

  constructor(readonly path: string) {
    this.uri = `file:${path}`;
  }

  async guard(): Promise<GuardVerdict> {
    return { enabled: true };
  }

  async list(): Promise<Listed[]> {
    this.text = await readIfExists(this.path);
    this.parsed = undefined;
    return splitCalendar(this.text).map((part) => ({ id: listedId(part), token: tokenOf(part) }));
  }

  async read(ids: string[]): Promise<Map<string, ReadResult>> {
    const parsed = this.parse();
    const modified = await stat(this.path).then(
      (s) => s.mtimeMs,
      () => Date.now(),
    );
    const out = new Map<string, ReadResult>();
    for (const id of ids) {
      const object = this.objects.get(id);
      const error = parsed.errors.find((e) => e.message.includes(id)) ?? parsed.errors[0];
      if (object) out.set(id, { ok: true, item: { ...calendarItem(object), modified } });
      else
        out.set(id, { ok: false, error: error ?? { where: this.path, message: `no item with UID ${id}` } });
    }
    return out;
  }

  async write(batch: WriteBatch): Promise<WriteOutcome[]> {
    const parsed = this.parse();
    const refuse = parsed.errors[0];
    const updated: { kind: "create" | "update"; id: string; uid: string }[] = [];
    if (!refuse) {
      for (const id of batch.delete) this.objects.delete(id);
      for (const u of batch.update) {
        const previous = this.objects.get(u.id);
        const sequence = previous ? Math.max(sequenceOf(previous), 0) + 1 : 0;
        this.objects.set(
          u.id,
          withProps(fieldsToObject(u.fields, u.uid, { dtstamp: nowStamp(), sequence }), previous),
        );
        updated.push({ kind: "update", id: u.id, uid: u.uid });
      }
      for (const [n, c] of batch.create.entries()) {
        const id = c.uid || `new-${n}`;
        this.objects.set(id, fieldsToObject(c.fields, c.uid, { dtstamp: nowStamp(), sequence: 0 }));
        updated.push({ kind: "create", id, uid: c.uid });
      }
    }
    const failed = (message: string): WriteOutcome[] => [
      ...batch.delete.map((id): WriteOutcome => ({ kind: "delete", id, ok: false, error: message })),
      ...batch.update.map(
        (u): WriteOutcome => ({ kind: "update", id: u.id, uid: u.uid, ok: false, error: message }),
      ),
      ...batch.create.map((c): WriteOutcome => ({ kind: "create", uid: c.uid, ok: false, error: message })),
    ];
    if (refuse) return failed(`not rewritten: ${refuse.where} cannot be read (${refuse.message})`);
    let text: string;
    try {
      text = serializeCalendar([...this.objects.values()], { header: parsed.header });
      await writeFileAtomic(this.path, text);
    } catch (error) {
      this.parsed = undefined;
      return failed((error as Error).message);
    }
    this.text = text;
    // Ids of UID-less items are their lines, which the rewrite may have moved.
    const parts = splitCalendar(text);
    const objects = [...this.objects];
    const newIds = idsFor(
      objects.map(([, o]) => o),
      parts,
    );
    const renamed = new Map(objects.map(([id], i) => [id, newIds[i] as string]));
    this.objects = new Map(objects.map(([, o], i) => [newIds[i] as string, o]));
    const tokens = new Map(parts.map((p) => [listedId(p), tokenOf(p)]));
    for (const w of updated) w.id = renamed.get(w.id) ?? w.id;
    return [
      ...batch.delete.map((id): WriteOutcome => ({ kind: "delete", id, ok: true })),
      ...updated.map(
        (w): WriteOutcome => ({
          kind: w.kind,
          uid: w.uid,
          ok: true,
          id: w.id,
          token: tokens.get(w.id) ?? "",
        }),
      ),
    ];
  }

  /** X-WR-CALNAME and X-APPLE-CALENDAR-COLOR, as Apple and Google export them. */
  async readCollection(): Promise<CollectionMeta> {
    const props = this.parse().header.props;
    const value = (name: string) => {
      const v = props.find((p) => p.name === name)?.values[0];
      return typeof v === "string" && v.trim() ? v.trim() : undefined;
    };
    const meta: CollectionMeta = {};
    const displayName = value("x-wr-calname");
    const color = value("x-apple-calendar-color");
    if (displayName) meta.displayName = displayName;
    if (color) meta.color = color;
    return meta;
  }

  async writeCollection(meta: CollectionMeta): Promise<void> {
    const parsed = this.parse();
    const broken = parsed.errors[0];
    if (broken) throw new Error(`not rewritten: ${broken.where} cannot be read (${broken.message})`);
    const set = (name: string, value: string | undefined) => {
      if (value === undefined) return;
      parsed.header.props = [
        ...parsed.header.props.filter((p) => p.name !== name),
        { name, params: {}, type: "unknown", values: [value] },
      ];
    };
    set("x-wr-calname", meta.displayName);
    set("x-apple-calendar-color", meta.color);
    this.text = serializeCalendar([...this.objects.values()], { header: parsed.header });
    await writeFileAtomic(this.path, this.text);
  }

  private parse(): ParsedCalendar {
    if (!this.parsed) {
      this.parsed = parseCalendar(this.text, this.path);
      const ids = idsFor(this.parsed.objects, splitCalendar(this.text));
      this.objects = new Map(this.parsed.objects.map((o, i) => [ids[i] as string, o]));
    }
    return this.parsed;
  }
}

function withProps(object: CalendarObject, previous: CalendarObject | undefined): CalendarObject {
  return { ...object, calendarProps: previous?.calendarProps ?? [] };
}

const listedId = (part: CalendarText): string => part.uid || `line-${part.line}`;
const tokenOf = (part: CalendarText): string =>
  createHash("sha256").update(part.text).digest("base64url").slice(0, 22);

/**
 * Each object's id: its UID, or for objects without one the "line-N" id list() gives them,
 * matched in file order. Should the two disagree (an unreadable UID-less item was skipped), such
 * objects get ids no listing has: kept on a rewrite, but not readable by id.
 */
function idsFor(objects: CalendarObject[], parts: CalendarText[]): string[] {
  const anonymous = parts.filter((p) => !p.uid).map(listedId);
  const unnamed = objects.filter((o) => !o.uid).length;
  let k = 0;
  return objects.map((o) => {
    if (o.uid) return o.uid;
    const id = unnamed === anonymous.length ? anonymous[k] : undefined;
    k++;
    return id ?? `unlisted-${k}`;
  });
}
