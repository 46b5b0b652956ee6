// The part of `status` that compose and swarm stacks share: Prometheus's view of its targets, then the problems.
import { say } from "./command.js";

interface TargetView {
  readonly job: string;
  readonly instance: string;
  readonly health: string;
  readonly lastError?: string | undefined;
}

export function printTargetsAndProblems(status: {
  readonly targets?: readonly TargetView[] | undefined;
  readonly targetsError?: string | undefined;
  readonly problems: readonly string[];
}): void {
  if (status.targets) {
    process.stdout.write(`\n${"TARGET".padEnd(40)}HEALTH\n`);
    for (const t of status.targets)
      process.stdout.write(`${`${t.job} ${t.instance}`.padEnd(40)}${t.health}${t.lastError ? `  ${t.lastError}` : ""}\n`);
  } else if (status.targetsError) say(`Prometheus targets unknown: ${status.targetsError}`);
  for (const problem of status.problems) say(`! ${problem}`);
}
