// Durations as Prometheus and Alertmanager parse them (common/model.ParseDuration): units largest first,
// each at most once, or "0". Anything else makes promtool and amtool refuse the file.

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** Milliseconds, or undefined when `value` is not a duration those parsers accept. */
export function parsePromDuration(value: unknown): number | undefined {
  if (typeof value !== "string") return undefined;
  if (value === "0") return 0;
  if (value === "") return undefined;
  const match = DURATION.exec(value);
  if (!match) return undefined;
  return match.slice(1).reduce((total, amount, index) => total + (amount ? Number(amount) * UNIT_MS[index]! : 0), 0);
}

export const DURATION_HINT = "units largest first, each once: ms, s, m, h, d, w, y (e.g. 1m30s)";
