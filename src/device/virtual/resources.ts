/**
 * The SQL resources in ./schemas. The build copies them beside the compiled modules
 * (package.json "build"), so source and dist read them the same way.
 */
import { readFileSync } from "node:fs";

export function readSchemaResource(name: string): string {
  const url = new URL(`./schemas/${name}`, import.meta.url);
  try {
    return readFileSync(url, "utf8");
  } catch (error) {
    throw new Error(
      `The schema resource ${url.pathname} is missing (${(error as Error).message}); run npm run build.`,
    );
  }
}
