// A checker's view of one rendered document: its parsed value and a way to refuse a value in it.
import type { ConfigIssue } from "../errors.js";
import { locate, type DocPath, type DocSource } from "./locate.js";

export interface CheckedDocument {
  readonly source: DocSource;
  readonly value: unknown;
  readonly issues: ConfigIssue[];
}

export function refuse(doc: CheckedDocument, path: DocPath, message: string, hint?: string): void {
  doc.issues.push({ path: locate(doc.source, path), message, ...(hint ? { hint } : {}) });
}

/** A short, quoted rendering of a value for messages. */
export function shown(value: unknown): string {
  // JSON.stringify returns undefined for functions and symbols, whatever its declared type says.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-condition, @typescript-eslint/no-base-to-string
  const text = typeof value === "string" ? JSON.stringify(value) : value === undefined ? "nothing" : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
