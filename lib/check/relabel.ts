// Relabel regexes: Prometheus compiles them with Go's RE2 (anchored). JavaScript's RegExp is close enough to
// catch syntax errors; what RE2 has no support for (look-around, back-references) is refused by name.

const RE2_UNSUPPORTED: ReadonlyArray<[RegExp, string]> = [
  [/\(\?<?[=!]/, "look-around ((?=, (?!, (?<=, (?<!) is not supported by Prometheus' RE2 regular expressions"],
  [/\\[1-9]/, "back-references (\\1) are not supported by Prometheus' RE2 regular expressions"],
];

/** Why Prometheus would refuse `regex`, or undefined. */
export function relabelRegexProblem(regex: string): string | undefined {
  for (const [pattern, reason] of RE2_UNSUPPORTED) if (pattern.test(regex)) return reason;
  try {
    new RegExp(`^(?:${regex})$`);
    return undefined;
  } catch (error) {
    return `is not a valid regular expression (${(error as Error).message.replace(/^Invalid regular expression: /, "")})`;
  }
}
