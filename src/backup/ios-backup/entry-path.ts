/**
 * The one check every backup path passes, on export and import alike: a domain is a single name,
 * a relative path stays inside its domain (assertSafeRelativePath). Nothing hostile gets through
 * to a fileID or, later, to a restored home tree.
 */
import { assertSafeRelativePath, UnsafePathError } from "../domains.js";

const DOMAIN = /^[A-Za-z][A-Za-z0-9._-]*$/;

export function assertSafeEntry(domain: string, relativePath: string, where: string): void {
  if (!DOMAIN.test(domain) || domain.includes(".."))
    throw new UnsafePathError(
      `${where}: the domain ${JSON.stringify(domain)} is not a backup domain name; refused`,
      {
        domain,
      },
    );
  assertSafeRelativePath(relativePath, `${where} ${domain}`);
}
