// Reading whole output folders back: file lists, hashes and modes, for determinism and "nothing written" checks.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

/** Every file under `dir` (relative POSIX paths, sorted). */
export function listFiles(dir: string): string[] {
  const files: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(path.relative(dir, full).split(path.sep).join("/"));
    }
  };
  walk(dir);
  return files.sort();
}

/** relative path → "sha256 mode" for every file under `dir`. */
export function hashTree(dir: string): Record<string, string> {
  return Object.fromEntries(
    listFiles(dir).map((file) => {
      const full = path.join(dir, file);
      const hash = createHash("sha256").update(readFileSync(full)).digest("hex");
      return [file, `${hash} ${(statSync(full).mode & 0o777).toString(8)}`];
    }),
  );
}

/** relative path → contents for every file under `dir`. */
export function readTree(dir: string): Record<string, string> {
  return Object.fromEntries(listFiles(dir).map((file) => [file, readFileSync(path.join(dir, file), "utf8")]));
}
