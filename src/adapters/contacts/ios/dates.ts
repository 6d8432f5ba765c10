/**
 * Birthday and X-ABDATE values: Core Data seconds stored as TEXT, to and from jCard dates.
 *
 * A year-less date is stored in the year 1604 (as Apple's vCards say with X-APPLE-OMIT-YEAR)
 * and is "--MM-DD" in the model. Dates are written at 12:00 UTC so that reading the calendar day
 * in any zone from UTC-12 to UTC+11 gives the same day.
 */
import { fromCoreDataSeconds, toCoreDataSeconds } from "./schema.js";

const OMITTED_YEAR = 1604;
const FULL_DATE = /^(\d{4})-?(\d\d)-?(\d\d)/;
const YEARLESS_DATE = /^--(\d\d)-?(\d\d)/;

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** "1980-04-15" or "--04-15"; undefined when the text is not a number. */
export function dateFromCoreData(text: string | null): string | undefined {
  if (text === null || text.trim() === "" || !Number.isFinite(Number(text))) return undefined;
  const date = fromCoreDataSeconds(text);
  const month = pad(date.getUTCMonth() + 1);
  const day = pad(date.getUTCDate());
  const year = date.getUTCFullYear();
  return year === OMITTED_YEAR ? `--${month}-${day}` : `${pad(year, 4)}-${month}-${day}`;
}

/** The Core Data seconds for a jCard date, as the TEXT the column holds; undefined if unparseable. */
export function dateToCoreData(value: string): string | undefined {
  const full = FULL_DATE.exec(value);
  const yearless = full ? undefined : YEARLESS_DATE.exec(value);
  const [year, month, day] = full
    ? [Number(full[1]), Number(full[2]), Number(full[3])]
    : yearless
      ? [OMITTED_YEAR, Number(yearless[1]), Number(yearless[2])]
      : [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day, 12));
  date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  return String(Math.round(toCoreDataSeconds(date)));
}
