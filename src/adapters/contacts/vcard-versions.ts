/**
 * One property between its version-specific text and the version-neutral canonical VProp.
 * The canonical form is documented in vcard.ts; readProp produces it, writeProp undoes it.
 */
import ICAL from "ical.js";
import type { VCardVersion, VProp } from "./model.js";

export type Params = Record<string, string | string[]>;

/** A property as one version writes it: name without group, params, value text as written. */
export interface WireProp {
  name: string;
  params: Params;
  raw: string;
}

interface ValueCodec {
  fromICAL(text: string): string;
  toICAL(value: string): string;
}
interface PropertyDesign {
  defaultType?: string;
}
const vcard4Design = ICAL.design.vcard;
const vcard3Design = ICAL.design.vcard3;
// ical.js' date-and-or-time codec reads basic and extended ISO 8601 alike; its timestamp codec does not.
const dateCodec = vcard4Design.value["date-and-or-time"] as ValueCodec;

const ALIASES: Record<string, string> = {
  "x-addressbookserver-kind": "kind",
  "x-addressbookserver-member": "member",
};
const APPLE_3_NAMES: Record<string, string> = {
  kind: "X-ADDRESSBOOKSERVER-KIND",
  member: "X-ADDRESSBOOKSERVER-MEMBER",
};
/** Apple writes these in mixed case; any case is valid, but theirs diffs cleanly. */
const SPELLING: Record<string, string> = { "x-ablabel": "X-ABLabel", "x-abshowas": "X-ABShowAs" };

const STRUCTURED = new Set(["n", "adr", "org", "gender", "clientpidmap"]);
const COMPONENT_LISTS = new Set(["n", "adr"]);
const VALUE_LISTS = new Set(["nickname", "categories"]);
/** Properties whose inline data 3.0 writes as ENCODING=b, with the media type's top level. */
const INLINE_MEDIA: Record<string, string> = {
  photo: "image",
  logo: "image",
  sound: "audio",
  key: "application",
};
/** The year Apple puts in year-less dates, together with X-APPLE-OMIT-YEAR. */
const OMITTED_YEAR = "1604";
const OMIT_YEAR_PARAM = "x-apple-omit-year";

const UTC_OFFSET = /^[+-]\d\d:?\d\d$/;
const DATE_LIKE = /^(\d{4}|--|---)?[\d-]*(T[\d:.,]*(Z|[+-][\d:]+)?)?$/;
const GEO_PAIR = /^\s*(-?\d+(?:\.\d+)?)\s*[;,]\s*(-?\d+(?:\.\d+)?)\s*$/;
const GEO_URI_PAIR = /^geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)$/;
const INLINE_DATA = /^data:([^;,]*);base64,(.*)$/s;
const TEXT_SPECIALS = /[\\,;\n]/;
const BACKSLASH = 0x5c;

export function canonicalName(name: string): string {
  return ALIASES[name] ?? name;
}

function wireName(name: string, version: "3.0" | "4.0"): string {
  return (version === "3.0" ? APPLE_3_NAMES[name] : undefined) ?? SPELLING[name] ?? name.toUpperCase();
}

/** Looked up for every property read and written; the design tables are large objects. */
const defaultTypes = new Map<string, string>([
  ["tel", "text"], // RFC 6350 keeps 3.0's free-form text as TEL's default
  ["x-abdate", "date-and-or-time"],
]);

/** The value type a property has when no VALUE parameter says otherwise, in either version. */
function defaultType(name: string): string {
  let type = defaultTypes.get(name);
  if (type === undefined) {
    const known = (vcard4Design.property[name] ?? vcard3Design.property[name]) as PropertyDesign | undefined;
    type = known?.defaultType ?? "unknown";
    defaultTypes.set(name, type);
  }
  return type;
}

function inferType(name: string, raw: string): string {
  const type = defaultType(name);
  if (name === "tz" && UTC_OFFSET.test(raw)) return "utc-offset";
  if (type === "timestamp" && !raw.includes("T")) return DATE_LIKE.test(raw) ? "date-and-or-time" : "text";
  if ((type === "date-and-or-time" || type === "timestamp") && !DATE_LIKE.test(raw)) return "text";
  return type;
}

function typeFromValueParam(value: string): string {
  const type = value.toLowerCase();
  if (type === "date" || type === "date-time") return "date-and-or-time";
  if (type === "phone-number") return "text";
  if (type === "url") return "uri";
  return type;
}

function valueParamFor(type: string, raw: string, version: "3.0" | "4.0"): string {
  if (version === "3.0" && type === "date-and-or-time") return raw.includes("T") ? "date-time" : "date";
  return type;
}

/** Splits at separators not preceded by an escaping backslash. */
function splitUnescaped(text: string, separator: string): string[] {
  if (!text.includes(separator)) return [text];
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "\\") i++;
    else if (text[i] === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** Undoes text escaping. Apple and Evolution also escape ':'; unknown escapes are kept as written. */
export function unescapeText(raw: string, version: VCardVersion): string {
  if (!raw.includes("\\")) return raw;
  if (version === "2.1") return raw.replace(/\\;/g, ";");
  return raw.replace(/\\([\\,;:nN])/g, (_, c: string) => (c === "n" || c === "N" ? "\n" : c));
}

/** An odd run of trailing backslashes leaves the last one escaping nothing; counted, not a regex per value. */
function checkEscapes(raw: string): void {
  let end = raw.length;
  while (end > 0 && raw.charCodeAt(end - 1) === BACKSLASH) end--;
  if ((raw.length - end) % 2 === 1) throw new Error("bad escaping: the value ends in a lone backslash");
}

function escapeText(value: unknown): string {
  const text = String(value);
  if (!TEXT_SPECIALS.test(text)) return text;
  return text.replace(/[\\,;\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`));
}

function decodeText(name: string, raw: string, version: VCardVersion): unknown[] {
  const text = (part: string) => unescapeText(part, version);
  if (STRUCTURED.has(name)) {
    const components = splitUnescaped(raw, ";").map((part) => {
      if (!COMPONENT_LISTS.has(name) || version === "2.1") return text(part);
      const items = splitUnescaped(part, ",").map(text);
      return items.length === 1 ? items[0] : items;
    });
    const [only] = components;
    return [components.length === 1 && typeof only === "string" ? only : components];
  }
  if (VALUE_LISTS.has(name)) return splitUnescaped(raw, ",").map(text);
  return [text(raw)];
}

function encodeText(name: string, values: unknown[]): string {
  if (STRUCTURED.has(name)) {
    const value = values[0];
    const components: unknown[] = Array.isArray(value) ? value : [value];
    return components.map((c) => (Array.isArray(c) ? c.map(escapeText).join(",") : escapeText(c))).join(";");
  }
  return values.map(escapeText).join(",");
}

function decodeValue(name: string, type: string, raw: string, version: VCardVersion): unknown[] {
  if (version !== "2.1" && (type === "text" || type === "vcard" || type === "uri")) checkEscapes(raw);
  switch (type) {
    case "text":
    case "vcard":
      return decodeText(name, raw, version);
    case "uri":
      return [unescapeText(raw, version)];
    case "date-and-or-time":
    case "timestamp":
      return [dateCodec.fromICAL(raw)];
    case "utc-offset":
      return [raw.length === 5 ? `${raw.slice(0, 3)}:${raw.slice(3)}` : raw];
    default:
      return [raw];
  }
}

function encodeValue(prop: VProp, version: "3.0" | "4.0"): string {
  const value = String(prop.values[0] ?? "");
  switch (prop.type) {
    case "text":
    case "vcard":
      return encodeText(prop.name, prop.values);
    case "uri": {
      const geo = prop.name === "geo" && version === "3.0" ? GEO_URI_PAIR.exec(value) : null;
      if (geo) return `${geo[1]};${geo[2]}`;
      return value.replace(/[\\\n]/g, (c) => (c === "\n" ? "\\n" : "\\\\"));
    }
    case "date-and-or-time":
    case "timestamp":
      return version === "4.0" ? dateCodec.toICAL(value) : value;
    case "utc-offset":
      return version === "4.0" ? value.replace(":", "") : value;
    default:
      return value;
  }
}

function take(params: Params, key: string): string | undefined {
  const value = params[key];
  delete params[key];
  return Array.isArray(value) ? value[0] : value;
}

function typeList(params: Params): string[] {
  const type = params.type;
  if (type === undefined) return [];
  const types: string[] = [];
  for (const item of Array.isArray(type) ? type : [type]) {
    for (const t of item.includes(",") ? item.split(",") : [item]) if (t !== "") types.push(t);
  }
  return types;
}

function setTypeList(params: Params, types: string[]): void {
  if (types.length === 0) delete params.type;
  else params.type = types.length === 1 ? (types[0] as string) : types;
}

/** Lower-cases TYPE values and turns 3.0's TYPE=pref into 4.0's PREF=1. */
function normalizeTypes(params: Params): void {
  if (params.type === undefined) {
    delete params.type; // the key may be present with no value
    return;
  }
  const types = typeList(params).map((t) => t.trim().toLowerCase());
  const kept = types.filter((t) => t !== "pref");
  if (kept.length < types.length && params.pref === undefined) params.pref = "1";
  setTypeList(params, kept);
}

function inlineDataUri(name: string, params: Params, raw: string): string {
  const [media = "", ...rest] = typeList(params);
  setTypeList(params, rest);
  const lower = media.toLowerCase();
  const mime = lower === "" || lower.includes("/") ? lower : `${INLINE_MEDIA[name]}/${lower}`;
  return `data:${mime};base64,${raw.replace(/\s+/g, "")}`;
}

function canonicalDataUri(uri: string): string {
  const inline = INLINE_DATA.exec(uri);
  return inline ? `data:${inline[1]?.toLowerCase()};base64,${inline[2]?.replace(/\s+/g, "")}` : uri;
}

/** Reads one property into the canonical form (see vcard.ts). Throws on bad escaping. */
export function readProp(wire: WireProp, version: VCardVersion): VProp {
  const name = canonicalName(wire.name);
  const params: Params = { ...wire.params };
  delete params.charset; // values are already decoded to Unicode
  const valueParam = take(params, "value");
  const encoding = params.encoding;
  let type: string;
  let values: unknown[];
  if (INLINE_MEDIA[name] && typeof encoding === "string" && /^(b|base64)$/i.test(encoding)) {
    delete params.encoding;
    type = "uri";
    values = [inlineDataUri(name, params, wire.raw)];
  } else {
    type = valueParam === undefined ? inferType(name, wire.raw) : typeFromValueParam(valueParam);
    values = decodeValue(name, type, wire.raw, version);
  }
  normalizeTypes(params);
  const value = values[0];
  if (typeof value === "string") {
    if (type === "date-and-or-time" && params[OMIT_YEAR_PARAM] !== undefined) {
      const year = params[OMIT_YEAR_PARAM];
      if (typeof year === "string" && value.startsWith(`${year}-`))
        values = [`--${value.slice(year.length + 1)}`];
      if (String(values[0]).startsWith("--")) delete params[OMIT_YEAR_PARAM];
    } else if (name === "tel" && (type === "text" || type === "uri") && /^tel:/i.test(value)) {
      type = "text";
      values = [value.slice(4)];
    } else if (name === "geo" && type === "uri") {
      const pair = GEO_PAIR.exec(value);
      if (pair) values = [`geo:${pair[1]},${pair[2]}`];
    } else if (name === "kind") {
      values = [value.toLowerCase()];
    } else if (INLINE_MEDIA[name] && type === "uri") {
      values = [canonicalDataUri(value)];
    }
  }
  return { name, params, type, values };
}

/** Writes one canonical property the way the given version expects it. */
export function writeProp(prop: VProp, version: "3.0" | "4.0"): WireProp {
  const params: Params = { ...prop.params };
  if (version === "3.0" && params.pref === "1") {
    delete params.pref;
    setTypeList(params, [...typeList(params), "pref"]);
  }
  const name = wireName(prop.name, version);
  const value = String(prop.values[0] ?? "");
  const inline = version === "3.0" && INLINE_MEDIA[prop.name] ? INLINE_DATA.exec(value) : null;
  if (inline && prop.type === "uri") {
    const mime = inline[1] ?? "";
    const top = `${INLINE_MEDIA[prop.name]}/`;
    const media = mime.startsWith(top) ? mime.slice(top.length).toUpperCase() : mime;
    const rest = typeList(params);
    setTypeList(params, media === "" ? rest : [media, ...rest]);
    return { name, params: { encoding: "b", ...params }, raw: inline[2] ?? "" };
  }
  let raw: string;
  if (version === "3.0" && prop.type === "date-and-or-time" && /^--\d\d-\d\d$/.test(value)) {
    raw = `${OMITTED_YEAR}${value.slice(1)}`;
    params[OMIT_YEAR_PARAM] = OMITTED_YEAR;
  } else {
    raw = encodeValue(prop, version);
  }
  const needsValue =
    prop.type !== defaultType(prop.name) ||
    prop.type !== inferType(prop.name, raw) ||
    (version === "3.0" && INLINE_MEDIA[prop.name] !== undefined);
  return needsValue
    ? { name, params: { value: valueParamFor(prop.type, raw, version), ...params }, raw }
    : { name, params, raw };
}
