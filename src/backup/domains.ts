/**
 * Where a file of an iOS home tree (a tree laid out like /var/mobile, the ios:DIR layout) lives
 * in a backup's domain space, and back. Camera roll and photo database files belong to
 * CameraRollDomain, the rest of Media/ to MediaDomain, everything else to HomeDomain
 * (data-formats.md §1.6; the relative paths keep their "Media/" prefix, as Manifest.db shows).
 */
import { isAbsolute, posix } from "node:path";
import { CradleError } from "../core/errors.js";

const CAMERA_ROLL_PREFIXES = ["Media/DCIM", "Media/PhotoData"];

const under = (path: string, prefix: string) => path === prefix || path.startsWith(`${prefix}/`);

/** The backup domain of a home-relative POSIX path. */
export function domainOfHomePath(homeRelative: string): string {
  if (CAMERA_ROLL_PREFIXES.some((prefix) => under(homeRelative, prefix))) return "CameraRollDomain";
  if (under(homeRelative, "Media")) return "MediaDomain";
  return "HomeDomain";
}

/** The domains a home tree maps onto; files of other domains have no place in one. */
export const HOME_TREE_DOMAINS = ["HomeDomain", "MediaDomain", "CameraRollDomain"] as const;

/**
 * The home-relative path of a (domain, relativePath) entry, or undefined when the domain has no
 * place in a home tree. Throws on a path that would escape the tree.
 */
export function homePathOf(domain: string, relativePath: string): string | undefined {
  if (!(HOME_TREE_DOMAINS as readonly string[]).includes(domain)) return undefined;
  assertSafeRelativePath(relativePath, `${domain}-${relativePath}`);
  return relativePath;
}

/** Refuses absolute paths, "..", NUL and backslash tricks: nothing may land outside the target. */
export function assertSafeRelativePath(path: string, what: string): void {
  if (path === "") return;
  const bad =
    isAbsolute(path) ||
    path.includes("\0") ||
    path.includes("\\") ||
    path.split("/").some((part) => part === ".." || part === "." || part === "") ||
    posix.normalize(path) !== path;
  if (bad) throw new UnsafePathError(`${what}: the path "${path}" would leave the target; refused`);
}

/** A path in a backup, manifest or snapshot that would write outside its target. */
export class UnsafePathError extends CradleError {}
