/**
 * The contact model: a vCard held as version-neutral jCard properties (RFC 7095).
 *
 * Nothing is dropped: every property the model gives no meaning to is kept as it came,
 * with its group, parameters and value, so that a round trip through Cradle is lossless.
 */

/** A jCard property: name in lower case, parameters, value type, then one or more values. */
export interface VProp {
  name: string;
  params: Record<string, string | string[]>;
  type: string;
  values: unknown[];
}

/**
 * One multi-valued entry: a main property (TEL, EMAIL, ADR, URL, IMPP, X-ABRELATEDNAMES,
 * X-ABDATE, X-SOCIALPROFILE, CATEGORIES, MEMBER, unknown X- properties...) together with
 * the companions that shared its Apple `itemN.` group (X-ABLabel, X-ABADR). Group names
 * themselves are not kept: writers number groups afresh.
 */
export interface ContactEntry {
  props: VProp[];
}

export type VCardVersion = "2.1" | "3.0" | "4.0";

export interface Contact {
  uid: string;
  /** The version it was read from. Writers keep it unless told otherwise; merges ignore it. */
  version: VCardVersion;
  /** Properties that occur at most once (FN, N, ORG, TITLE, BDAY, PHOTO, KIND...), by upper-case name. */
  singles: Record<string, VProp>;
  /** NOTE as plain text, "" when absent. */
  note: string;
  /** Everything else, in file order. */
  entries: ContactEntry[];
}
