/**
 * One ABMultiValue row (with its ABMultiValueEntry pairs) to and from a model entry.
 *
 * The row's identifier (ABMultiValue.identifier: 0, 1, ... per person and property, Apple's
 * ABMultiValueIdentifier) travels as an `X-CRADLE-IOS-ID` companion, beside X-ABLabel, rather
 * than as a parameter: the main property then stays equal to what a vCard peer holds, and a
 * later write updates that same row instead of deleting and re-adding it.
 */
import type { ContactEntry, VProp } from "../model.js";
import { dateFromCoreData, dateToCoreData } from "./dates.js";
import { labelForTypes, typesForLabel } from "./labels.js";
import { Property } from "./schema.js";

export const IOS_ID = "x-cradle-ios-id";

/** A multi-value as Cradle compares it: entries by their ABMultiValueEntryKey text. */
export interface MultiValueRow {
  property: number;
  /** Undefined for a value that has no row yet. */
  identifier: number | undefined;
  label: string | null;
  value: string | null;
  entries: Record<string, string>;
}

/** The entry keys the model maps; any other key of a stored row is kept as it is on update. */
export const MODELED_KEYS: Record<number, string[]> = {
  [Property.address]: ["Street", "City", "State", "ZIP", "Country", "CountryCode"],
  [Property.instantMessage]: ["service", "username"],
  [Property.socialProfile]: ["service", "username", "url"],
};

const NAMES: Record<string, number> = {
  tel: Property.phone,
  email: Property.email,
  adr: Property.address,
  url: Property.url,
  "x-abdate": Property.date,
  "x-abrelatednames": Property.relatedName,
  impp: Property.instantMessage,
  "x-socialprofile": Property.socialProfile,
};

const IM_SCHEMES: Record<string, string> = {
  Skype: "skype",
  AIM: "aim",
  ICQ: "aim",
  Jabber: "xmpp",
  Facebook: "xmpp",
  GoogleTalk: "xmpp",
  MSN: "msnim",
  Yahoo: "ymsgr",
};
const SOCIAL_SERVICES = [
  "Twitter",
  "Facebook",
  "LinkedIn",
  "Flickr",
  "MySpace",
  "SinaWeibo",
  "TencentWeibo",
  "Yelp",
  "GameCenter",
];

const prop = (name: string, type: string, value: unknown, params: VProp["params"] = {}): VProp => ({
  name,
  params,
  type,
  values: [value],
});

function mainProp(row: MultiValueRow): VProp | undefined {
  const value = row.value ?? "";
  const e = row.entries;
  switch (row.property) {
    case Property.phone:
      return prop("tel", "text", value);
    case Property.email:
      return prop("email", "text", value);
    case Property.url:
      return prop("url", "uri", value);
    case Property.relatedName:
      return prop("x-abrelatednames", "unknown", value);
    case Property.date: {
      const date = dateFromCoreData(row.value);
      return date === undefined ? undefined : prop("x-abdate", "date-and-or-time", date);
    }
    case Property.address: {
      const parts = ["", "", e.Street ?? "", e.City ?? "", e.State ?? "", e.ZIP ?? "", e.Country ?? ""];
      return prop("adr", "text", parts);
    }
    case Property.instantMessage: {
      const service = e.service ?? "";
      const scheme = IM_SCHEMES[service] ?? "x-apple";
      return prop(
        "impp",
        "uri",
        `${scheme}:${e.username ?? ""}`,
        service ? { "x-service-type": service } : {},
      );
    }
    case Property.socialProfile: {
      const params: VProp["params"] = { type: (e.service ?? "").toLowerCase() };
      if (e.username) params["x-user"] = e.username;
      return prop("x-socialprofile", "unknown", e.url || `x-apple:${e.username ?? ""}`, params);
    }
    default:
      return undefined;
  }
}

/** The model entry for a stored row; undefined for properties Cradle does not map. */
export function rowToEntry(row: MultiValueRow): ContactEntry | undefined {
  const main = mainProp(row);
  if (!main) return undefined;
  const props = [main];
  if (row.property === Property.address && row.entries.CountryCode)
    props.push(prop("x-abadr", "unknown", row.entries.CountryCode));
  if (row.label !== null) {
    const types = typesForLabel(row.property, row.label);
    if (types.length > 0)
      main.params = { type: types.length === 1 ? (types[0] as string) : types, ...main.params };
    props.push(prop("x-ablabel", "unknown", row.label));
  }
  if (row.identifier !== undefined) props.push(prop(IOS_ID, "unknown", String(row.identifier)));
  return { props };
}

const text = (value: unknown): string =>
  Array.isArray(value) ? value.map(text).join("\n") : String(value ?? "");
const list = (param: string | string[] | undefined): string[] =>
  param === undefined ? [] : Array.isArray(param) ? param : [param];
const companion = (entry: ContactEntry, name: string) => entry.props.slice(1).find((p) => p.name === name);

function storedValue(property: number, main: VProp): Pick<MultiValueRow, "value" | "entries"> | undefined {
  const first = main.values[0];
  switch (property) {
    case Property.address: {
      const parts = Array.isArray(first) ? first.map(text) : [text(first)];
      const [pobox = "", ext = "", street = "", city = "", state = "", zip = "", country = ""] = parts;
      const entries: Record<string, string> = {};
      const fields = {
        Street: [pobox, ext, street].filter(Boolean).join("\n"),
        City: city,
        State: state,
        ZIP: zip,
        Country: country,
      };
      for (const [key, value] of Object.entries(fields)) if (value !== "") entries[key] = value;
      return { value: null, entries };
    }
    case Property.date: {
      const seconds = dateToCoreData(text(first));
      return seconds === undefined ? undefined : { value: seconds, entries: {} };
    }
    case Property.instantMessage: {
      const uri = text(first);
      const colon = uri.indexOf(":");
      const scheme = colon === -1 ? "" : uri.slice(0, colon);
      const service =
        text(main.params["x-service-type"] ?? "") ||
        Object.keys(IM_SCHEMES).find((s) => IM_SCHEMES[s] === scheme) ||
        scheme;
      return { value: null, entries: { service, username: uri.slice(colon + 1) } };
    }
    case Property.socialProfile: {
      const type = text(list(main.params.type)[0] ?? "");
      const service = SOCIAL_SERVICES.find((s) => s.toLowerCase() === type.toLowerCase()) ?? type;
      const url = text(first);
      const entries: Record<string, string> = { service };
      if (main.params["x-user"]) entries.username = text(main.params["x-user"]);
      if (!url.startsWith("x-apple:")) entries.url = url;
      return { value: null, entries };
    }
    default:
      return { value: text(first), entries: {} };
  }
}

/** The row a model entry asks for; undefined for entries AddressBook cannot hold. */
export function entryToRow(entry: ContactEntry): MultiValueRow | undefined {
  const main = entry.props[0];
  const property = main ? NAMES[main.name] : undefined;
  if (!main || property === undefined) return undefined;
  const stored = storedValue(property, main);
  if (!stored) return undefined;
  const countryCode = companion(entry, "x-abadr");
  if (property === Property.address && countryCode) stored.entries.CountryCode = text(countryCode.values[0]);
  const label = companion(entry, "x-ablabel");
  const id = Number(text(companion(entry, IOS_ID)?.values[0] ?? "x"));
  return {
    property,
    identifier: Number.isInteger(id) && id >= 0 ? id : undefined,
    label: label ? text(label.values[0]) : (labelForTypes(property, list(main.params.type)) ?? null),
    ...stored,
  };
}
