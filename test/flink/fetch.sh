#!/usr/bin/env bash
# Fetch the Flink jars from Maven and build the real-Flink harness (test/flink/README.md) for every Flink
# version the tests run: the classpath file and StackProofJob's jar under test/flink/target/<version>/.
# .ci/run calls this before `npm test`; test/flink-e2e.test.ts then reuses the outputs (buildFlinkHarness).
#
#   bash test/flink/fetch.sh                      # 1.20.5 and 2.3.0
#   FLINK_VERSIONS="2.3.0" bash test/flink/fetch.sh
#
# Idempotent: a version whose outputs are newer than pom.xml and src/ is left alone (Maven is not even started);
# otherwise `mvn -q -B` resolves into ~/.m2 (cold: ~1 min and ~110 MB per version; warm: ~10 s).
# Needs mvn and a JDK 17 (Debian: apt-get install maven). Fails, never skips, when something is missing.
set -euo pipefail
cd "$(dirname "$0")"
HERE="$PWD"
VERSIONS="${FLINK_VERSIONS:-1.20.5 2.3.0}"

for tool in mvn java; do
  command -v "$tool" >/dev/null 2>&1 || { echo "fetch.sh: $tool is not installed (apt-get install -y maven)" >&2; exit 1; }
done

# newest modification time (seconds) of pom.xml and the job's sources
newest_input=$(find "$HERE/pom.xml" "$HERE/src" -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1)

for v in $VERSIONS; do
  out="$HERE/target/$v"
  cp_file="$out/classpath.txt"
  jar="$out/stack-proof-job.jar"
  if [[ -s "$cp_file" && -s "$jar" ]] \
    && (( $(stat -c %Y "$cp_file") > newest_input && $(stat -c %Y "$jar") > newest_input )) \
    && tr ':' '\n' <"$cp_file" | while read -r j; do [[ -z "$j" || -f "$j" ]] || exit 1; done; then
    echo "fetch.sh: Flink $v harness up to date ($out)"
    continue
  fi
  start=$SECONDS
  mkdir -p "$out"
  # (Debian's Maven 3.8 prints bare colour resets even with -B; strip them)
  mvn -q -B -e -Dstyle.color=never -f "$HERE/pom.xml" "-Dflink.version=$v" dependency:build-classpath "-Dmdep.outputFile=$cp_file" 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
  mvn -q -B -e -Dstyle.color=never -f "$HERE/pom.xml" "-Dflink.version=$v" package 2>&1 | sed 's/\x1b\[[0-9;]*m//g'
  # every jar on the classpath must be in the local repository, and the reporter must be among them
  missing=$(tr ':' '\n' <"$cp_file" | while read -r j; do [[ -z "$j" || -f "$j" ]] || echo "$j"; done)
  if [[ -n "$missing" ]]; then echo "fetch.sh: Flink $v: missing jars:"$'\n'"$missing" >&2; exit 1; fi
  grep -q 'flink-metrics-prometheus-' "$cp_file" || { echo "fetch.sh: Flink $v: flink-metrics-prometheus not resolved" >&2; exit 1; }
  [[ -s "$jar" ]] || { echo "fetch.sh: Flink $v: $jar was not built" >&2; exit 1; }
  # Maven leaves unchanged outputs with their old times; mark them current so this script and
  # buildFlinkHarness (test/flink/cluster.ts) reuse them next time.
  touch "$cp_file" "$jar"
  echo "fetch.sh: Flink $v harness built in $((SECONDS - start)) s ($out)"
done
