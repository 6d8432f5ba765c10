/**
 * Contacts and calendars: read with the domain's ios: endpoint from a temp home, written with
 * its vdir: endpoint (one .vcf or .ics per record, the khard/khal layout). No domain code here:
 * whatever the endpoints read and write, extract does too.
 */
import { openEndpoint } from "../../adapters/resolve.js";
import type { Domain, ReadError, WriteBatch } from "../../core/endpoint.js";
import { UsageError } from "../../core/errors.js";
import type { DeviceFiles } from "./device-files.js";
import { ExtractError } from "./errors.js";
import { withTempHome, withWal } from "./temp-home.js";

const STORES: Partial<Record<Domain, string>> = {
  contacts: "Library/AddressBook/AddressBook.sqlitedb",
  calendars: "Library/Calendar/Calendar.sqlitedb",
};

export interface RecordsExtracted {
  written: number;
  errors: ReadError[];
}

export async function extractRecords(
  files: DeviceFiles,
  domain: Domain,
  toDir: string,
): Promise<RecordsExtracted> {
  const store = STORES[domain] as string;
  return withTempHome(files, withWal("HomeDomain", store), async (home, found) => {
    if (!found.includes(store))
      throw new ExtractError(`${files.uri} holds no ${store}, so it has no ${domain} to extract.`, {
        source: files.uri,
        domain,
      });
    const device = await openDeviceStore(domain, home);
    const listed = await device.list();
    const results = await device.read(listed.map((item) => item.id));
    const errors: ReadError[] = [];
    const create: WriteBatch["create"] = [];
    for (const result of results.values()) {
      if (result.ok) create.push({ uid: result.item.uid, fields: result.item.fields });
      else
        errors.push({ ...result.error, where: result.error.where.replace(home, `${files.uri} HomeDomain`) });
    }
    const vdir = await openEndpoint(domain, `vdir:${toDir}`);
    const outcomes = await vdir.write({ create, update: [], delete: [] });
    const meta = await device.readCollection?.();
    if (meta && vdir.writeCollection) await vdir.writeCollection(meta);
    for (const outcome of outcomes)
      if (!outcome.ok) errors.push({ where: `${toDir} ${outcome.uid ?? ""}`, message: outcome.error });
    return { written: outcomes.filter((o) => o.ok).length, errors };
  });
}

async function openDeviceStore(domain: Domain, home: string) {
  try {
    return await openEndpoint(domain, `ios:${home}`);
  } catch (error) {
    if (error instanceof UsageError)
      throw new ExtractError(
        `This build of Cradle cannot read the iOS ${domain} store yet, so it cannot extract ${domain}.`,
        { domain },
      );
    throw error;
  }
}
