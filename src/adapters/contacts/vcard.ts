/**
 * vCard codec: 2.1 (read only), 3.0 and 4.0 text to and from the version-neutral Contact.
 *
 * Canonical form, so that a 3.0 card and its 4.0 equivalent parse to the same Contact:
 * - Value types follow vCard 4 (RFC 6350) as ical.js' design sets name them; 3.0's date and
 *   date-time become date-and-or-time, phone-number becomes text. Dates are kept in jCard's
 *   extended form ("1996-04-15", "--04-15", "2019-10-08T17:05:14Z").
 * - Preference: 3.0's TYPE=pref is PREF=1. Other PREF values stay PREF=n, also in 3.0.
 * - TYPE values are lower case; CHARSET is dropped (values are Unicode strings).
 * - Groups: 4.0's KIND/MEMBER. Apple's 3.0 X-ADDRESSBOOKSERVER-KIND/-MEMBER are read as
 *   KIND/MEMBER and written back as such in 3.0; KIND values are lower case.
 * - Year-less dates: 4.0's "--04-15". Apple's 3.0 `X-APPLE-OMIT-YEAR=1604` + `1604-04-15` is read
 *   as "--04-15" and written that way again in 3.0.
 * - Inline media (PHOTO, LOGO, SOUND, KEY): a data: URI, "data:image/jpeg;base64,...". 3.0's
 *   ENCODING=b;TYPE=JPEG is written for it in 3.0; media by reference is a uri either way.
 * - TEL: a text value; 4.0's "tel:" URIs lose their scheme. Other URIs (sip:) stay uri.
 * - GEO: 4.0's "geo:lat,lon" URI; 3.0 writes "lat;lon".
 * - Text values are unescaped (also \: as Apple writes it); unknown properties keep their raw text.
 * - The first ungrouped occurrence of a single-valued property is the single; repeats are entries.
 *   A NOTE with parameters is an entry; an empty NOTE is not kept. A lone grouped property is
 *   written without its group: a group only means something with companions.
 * - Reading: a card without VERSION is read as 3.0. vCard 2.1's quoted-printable values, bare
 *   parameters (TEL;CELL) and base64 bodies are decoded; a 2.1 AGENT holding a nested vCard is
 *   reported as malformed.
 */
export { type CardText, parseVCards, splitVCards } from "./vcard-parse.js";
export { serializeVCard } from "./vcard-write.js";
