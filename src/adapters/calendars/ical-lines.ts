/**
 * Content lines to component trees, with line numbers.
 *
 * ICAL.parse reads a whole text and throws on the first bad line without saying where, so one
 * bad event would sink a calendar. Here lines are unfolded and BEGIN/END matched by hand, each
 * property goes through ICAL.parse.property, and problems are recorded on the component that
 * holds them so the caller can skip that one object and keep the rest.
 */
import ICAL from "ical.js";
import type { ICalComponent, ICalProp } from "./model.js";

export interface Problem {
  line: number;
  message: string;
  /** The item is still whole (an unparsed RRULE kept verbatim): report it, but keep the item. */
  recoverable?: boolean;
}

/** A component as read, with where it starts and what went wrong inside it. */
export interface RawComponent extends ICalComponent {
  line: number;
  components: RawComponent[];
  problems: Problem[];
  /** Character offsets of the text this component spans, for splitting without parsing. */
  startOffset: number;
  endOffset: number;
}

export interface LogicalLine {
  text: string;
  line: number;
  /** Character offsets of the physical lines it came from. */
  start: number;
  end: number;
}

/** Unfolds RFC 5545 §3.1 folding (one leading space or tab); drops blank lines. */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let offset = 0;
  for (let index = 1; offset < text.length; index++) {
    const newline = text.indexOf("\n", offset);
    const next = newline === -1 ? text.length : newline + 1;
    let physical = text.slice(offset, newline === -1 ? text.length : newline);
    if (physical.endsWith("\r")) physical = physical.slice(0, -1);
    const last = out[out.length - 1];
    if (last && (physical[0] === " " || physical[0] === "\t")) {
      last.text += physical.slice(1);
      last.end = next;
    } else if (physical.trim() !== "") {
      out.push({ text: physical, line: index, start: offset, end: next });
    }
    offset = next;
  }
  return out;
}

const MARKER = /^(BEGIN|END):([A-Za-z0-9-]+)\s*$/i;
const RECUR_NAMES = new Set(["rrule", "exrule"]);
/** Components that never nest in one another: a BEGIN of one closes an open one missing its END. */
const TOP_LEVEL = new Set(["vevent", "vtodo", "vjournal", "vfreebusy", "vavailability", "vtimezone"]);
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z?$/;

/** A value ical.js accepted but that is not what its type says (it turns "garbage" into "garb-ag-eT::"). */
function badValue(prop: ICalProp): string | undefined {
  const pattern = prop.type === "date" ? DATE : prop.type === "date-time" ? DATE_TIME : undefined;
  if (!pattern) return undefined;
  const bad = prop.values.find((v) => typeof v !== "string" || !pattern.test(v));
  return bad === undefined ? undefined : `malformed ${prop.type} value in ${prop.name.toUpperCase()}`;
}

function hasFrequency(prop: ICalProp): boolean {
  const value = prop.values[0] as { freq?: unknown } | undefined;
  return typeof value?.freq === "string";
}

/**
 * Reads one property. An RRULE ical.js cannot read is kept as an "x-unparsed" line and reported,
 * so the object survives with its rule written back as it came.
 */
function readProperty(line: LogicalLine, into: RawComponent): void {
  const name = /^[A-Za-z0-9-]+/.exec(line.text)?.[0]?.toLowerCase() ?? "";
  const unparsed = (why: string) => {
    into.props.push({ name, params: {}, type: "x-unparsed", values: [line.text] });
    into.problems.push({
      line: line.line,
      message: `${name.toUpperCase()} cannot be parsed (${why}); kept verbatim, not expanded`,
      recoverable: true,
    });
  };
  let jcal: unknown[];
  try {
    jcal = ICAL.parse.property(line.text, ICAL.design.icalendar) as unknown[];
  } catch (e) {
    if (RECUR_NAMES.has(name)) {
      unparsed((e as Error).message);
      return;
    }
    into.problems.push({ line: line.line, message: `malformed line: ${(e as Error).message}` });
    return;
  }
  const [propName, params, type, ...values] = jcal as [string, ICalProp["params"], string, ...unknown[]];
  const prop: ICalProp = { name: propName, params, type, values };
  if (type === "recur" && !hasFrequency(prop)) {
    unparsed("no FREQ");
    return;
  }
  const bad = badValue(prop);
  if (bad) into.problems.push({ line: line.line, message: bad });
  into.props.push(prop);
}

function newComponent(name: string, line: LogicalLine): RawComponent {
  return {
    name,
    props: [],
    components: [],
    problems: [],
    line: line.line,
    startOffset: line.start,
    endOffset: line.end,
  };
}

function closeUnended(stack: RawComponent[], beginning: string): void {
  const from =
    beginning === "vcalendar"
      ? 0
      : TOP_LEVEL.has(beginning)
        ? stack.findIndex((c) => TOP_LEVEL.has(c.name))
        : -1;
  if (from === -1) return;
  for (const open of stack.splice(from))
    open.problems.push({ line: open.line, message: `BEGIN:${open.name.toUpperCase()} has no END` });
}

/** Root components (normally VCALENDARs) plus problems found outside any component. */
export function readComponents(text: string): { roots: RawComponent[]; stray: Problem[] } {
  const roots: RawComponent[] = [];
  const stray: Problem[] = [];
  const stack: RawComponent[] = [];
  for (const line of logicalLines(text)) {
    const marker = MARKER.exec(line.text);
    const begin = marker?.[1]?.toUpperCase() === "BEGIN";
    const name = (marker?.[2] ?? "").toLowerCase();
    if (begin) closeUnended(stack, name);
    const current = stack[stack.length - 1];
    if (begin) {
      const component = newComponent(name, line);
      if (current) current.components.push(component);
      else roots.push(component);
      stack.push(component);
    } else if (marker) {
      const open = stack.findLastIndex((c) => c.name === name);
      if (open === -1) {
        (current?.problems ?? stray).push({
          line: line.line,
          message: `END:${name.toUpperCase()} without BEGIN`,
        });
        continue;
      }
      const [closed, ...unclosed] = stack.splice(open);
      for (const inner of unclosed)
        inner.problems.push({ line: inner.line, message: `BEGIN:${inner.name.toUpperCase()} has no END` });
      if (closed) closed.endOffset = line.end;
    } else if (current) {
      readProperty(line, current);
      current.endOffset = line.end;
    } else {
      stray.push({ line: line.line, message: `text outside any component: "${line.text.slice(0, 40)}"` });
    }
  }
  for (const unclosed of stack)
    unclosed.problems.push({
      line: unclosed.line,
      message: `BEGIN:${unclosed.name.toUpperCase()} has no END`,
    });
  return { roots, stray };
}
