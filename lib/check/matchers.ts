// Alertmanager matchers (`matchers`, `source_matchers`, `target_matchers`) as the classic parser reads them:
// Alertmanager 0.25 (Debian's amtool) has only that one, and 0.28 falls back to it, so a string it accepts
// works on both. One string may hold several matchers, comma-separated, optionally in braces.
import { relabelRegexProblem } from "./relabel.js";

const MATCHER = /^\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(=~|=|!=|!~)\s*([\s\S]*?)\s*$/;

/** Why the matchers string would be refused, or undefined. */
export function matchersProblem(text: string): string | undefined {
  let body = text.startsWith("{") ? text.slice(1) : text;
  if (body.endsWith("}")) body = body.slice(0, -1);
  for (const token of splitMatchers(body)) {
    const problem = matcherProblem(token);
    if (problem) return problem;
  }
  return undefined;
}

function splitMatchers(text: string): string[] {
  const tokens: string[] = [];
  let token = "";
  let insideQuotes = false;
  let escaped = false;
  for (const char of text) {
    if (char === "," && !insideQuotes) {
      tokens.push(token);
      token = "";
      continue;
    }
    if (char === '"') {
      if (!escaped) insideQuotes = !insideQuotes;
      else escaped = false;
    } else if (char === "\\") escaped = !escaped;
    else escaped = false;
    token += char;
  }
  if (token.trim() !== "") tokens.push(token.trim());
  return tokens;
}

function matcherProblem(token: string): string | undefined {
  const match = MATCHER.exec(token);
  if (!match) return `${JSON.stringify(token)} is not a matcher: write label="value" (operators =, !=, =~, !~; label names [a-zA-Z_][a-zA-Z0-9_]*)`;
  const [, , operator, raw] = match as unknown as [string, string, string, string];
  let rest = raw;
  let expectTrailingQuote = false;
  if (rest.startsWith('"')) {
    rest = rest.slice(1);
    expectTrailingQuote = true;
  }
  let value = "";
  let escaped = false;
  // eslint-disable-next-line @typescript-eslint/no-misused-spread -- code points are what PromQL escapes work on
  const chars = [...rest];
  for (let index = 0; index < chars.length; index++) {
    const char = chars[index]!;
    if (escaped) {
      escaped = false;
      value += char === "n" ? "\n" : char === '"' || char === "\\" ? char : `\\${char}`;
      continue;
    }
    if (char === "\\") {
      if (index < chars.length - 1) escaped = true;
      else value += "\\";
    } else if (char === '"') {
      if (!expectTrailingQuote || index < chars.length - 1) return `${JSON.stringify(token)}: the value has an unescaped double quote`;
      expectTrailingQuote = false;
    } else value += char;
  }
  if (expectTrailingQuote) return `${JSON.stringify(token)}: the value's closing double quote is missing`;
  if (operator === "=~" || operator === "!~") {
    const problem = relabelRegexProblem(value);
    if (problem) return `${JSON.stringify(token)}: the regular expression ${problem}`;
  }
  return undefined;
}
