// Renders the runtime's progress events on stderr: one line each; on a TTY, pull progress updates in place.
import type { ProgressEvent } from "../docker/types.js";

export function progressPrinter(): (event: ProgressEvent) => void {
  const tty = process.stderr.isTTY;
  const color = tty && process.env.NO_COLOR === undefined;
  let inPlace = false;
  return (event) => {
    const prefix = event.service ? `${event.service}: ` : "";
    if (event.step === "pull" && event.total !== undefined && event.current !== undefined) {
      if (!tty) return;
      const percent = event.total > 0 ? Math.floor((100 * event.current) / event.total) : 0;
      process.stderr.write(`\r${prefix}${event.message} ${percent}%\u001b[K`);
      inPlace = true;
      return;
    }
    if (inPlace) process.stderr.write("\n");
    inPlace = false;
    const mark = event.step === "warning" || event.step === "rollback" ? "!" : "-";
    const text = `${mark} ${prefix}${event.message}`;
    process.stderr.write(`${color && mark === "!" ? `\u001b[33m${text}\u001b[0m` : text}\n`);
  };
}
