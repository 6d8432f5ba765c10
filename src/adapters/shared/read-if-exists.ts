import { readFile } from "node:fs/promises";

/** A file's text, or "" when it does not exist yet (a file endpoint that has not been written). */
export async function readIfExists(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return "";
    throw error;
  }
}
