#!/usr/bin/env bash
# Start or stop a Docker engine for the real-engine tests (DOCKER.md recipe).
#
#   scripts/ci/docker-engine.sh start   start dockerd unless an engine already answers; wait for `docker info`
#   scripts/ci/docker-engine.sh stop    stop the dockerd this script started (by its recorded pid), nothing else
#   scripts/ci/docker-engine.sh status  say whether an engine answers and whether we started it
#
# Environment: DOCKERD_LOG (default /tmp/dockerd.log), DOCKERD_PIDFILE (default
# /tmp/flink-prometheus-stack-dockerd.pid), DOCKERD_WAIT_SECONDS (default 60).
set -euo pipefail

LOG="${DOCKERD_LOG:-/tmp/dockerd.log}"
PIDFILE="${DOCKERD_PIDFILE:-/tmp/flink-prometheus-stack-dockerd.pid}"
WAIT="${DOCKERD_WAIT_SECONDS:-60}"

engine_answers() {
  timeout 10 docker info >/dev/null 2>&1
}

ours_running() {
  [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null
}

start() {
  if engine_answers; then
    echo "docker-engine: an engine already answers ($(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})' 2>/dev/null || echo unknown)); not starting another"
    return 0
  fi
  if ours_running; then
    echo "docker-engine: dockerd pid $(cat "$PIDFILE") (ours) is running but does not answer yet; waiting"
  else
    if ! command -v dockerd >/dev/null 2>&1; then
      echo "docker-engine: no engine answers and dockerd is not installed (apt-get install -y docker.io)" >&2
      return 1
    fi
    # setsid: the engine must outlive this shell and its process group.
    setsid dockerd >"$LOG" 2>&1 < /dev/null &
    echo $! >"$PIDFILE"
    echo "docker-engine: started dockerd, pid $(cat "$PIDFILE"), log $LOG"
  fi
  local waited=0
  until engine_answers; do
    if ! ours_running; then
      echo "docker-engine: dockerd exited; last lines of $LOG:" >&2
      tail -n 20 "$LOG" >&2 || true
      rm -f "$PIDFILE"
      return 1
    fi
    if (( waited >= WAIT )); then
      echo "docker-engine: dockerd did not answer within ${WAIT}s; last lines of $LOG:" >&2
      tail -n 20 "$LOG" >&2 || true
      return 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  echo "docker-engine: engine ready after ${waited}s ($(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})'))"
}

stop() {
  if [[ ! -f "$PIDFILE" ]]; then
    echo "docker-engine: no dockerd started by this script (no $PIDFILE); leaving any engine alone"
    return 0
  fi
  local pid
  pid="$(cat "$PIDFILE")"
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "docker-engine: recorded dockerd pid $pid is gone"
    rm -f "$PIDFILE"
    return 0
  fi
  # Make sure the pid is still a dockerd (pids get reused) before signalling it.
  if [[ "$(cat "/proc/$pid/comm" 2>/dev/null)" != "dockerd" ]]; then
    echo "docker-engine: pid $pid is no longer dockerd; not touching it"
    rm -f "$PIDFILE"
    return 0
  fi
  kill -TERM "$pid"
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if (( waited >= 30 )); then
      echo "docker-engine: dockerd pid $pid ignored SIGTERM for 30s; sending SIGKILL" >&2
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
    waited=$((waited + 1))
  done
  rm -f "$PIDFILE"
  echo "docker-engine: stopped dockerd pid $pid"
}

status() {
  if engine_answers; then echo "docker-engine: engine answers"; else echo "docker-engine: no engine answers"; fi
  if ours_running; then echo "docker-engine: dockerd pid $(cat "$PIDFILE") was started by this script"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
