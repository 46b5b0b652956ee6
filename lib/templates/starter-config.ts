// The commented starter config that `init` writes (human-facing text; it must also validate as is).
export const STARTER_CONFIG = `# yaml-language-server: $schema={{schema}}
# flink-prometheus-stack: one description of your Flink deployment and its monitoring stack.
# Check it with "flink-prometheus-stack validate", then "flink-prometheus-stack generate -o out".

# Compose project name (lower-case letters, digits, - and _).
name: flink-monitoring

flink:
  # Quote the version: unquoted, YAML reads 1.10 as the number 1.1.
  version: "1.20"
  reporter:
    # pushgateway: every Flink process pushes to the stack's Pushgateway.
    # pull: Prometheus scrapes each Flink process (port below).
    mode: pushgateway
    interval: 15s
    pushgateway:
      jobName: flink
      # randomJobNameSuffix: default false when every Flink process has a host of its own (one stable
      # Pushgateway group per process, replaced on restart), true otherwise (a new group per process start).
      deleteOnShutdown: true      # best effort: a killed process cannot delete its group
    # pull:
    #   port: "9249-9250"          # a range when several Flink processes share a host
  clusters:
    - name: main
      jobmanagers: ["jobmanager.example.internal"]
      taskmanagers: ["taskmanager1.example.internal", "taskmanager2.example.internal"]
      # labels: { env: prod }

prometheus:
  scrapeInterval: 15s
  retention: { time: 15d }
  # scrapeJobs:
  #   - name: kafka
  #     targets: ["kafka1.example.internal:9308"]
  #     labels: { team: data }

# pushgateway:
#   prune:                         # delete groups of processes that are gone (needed with random suffixes)
#     sidecar: true
#     olderThan: 1h
#     every: 1m
#     runner: image                # default: \`up\` builds localhost/flink-prometheus-stack:<version> on \`image\`
#                                  # (node:24.11.1-alpine); npx: fetch the package from the npm registry at start

nodeExporter:
  enabled: true       # node_exporter for this host
  # targets: ["taskmanager1.example.internal:9100"]

alerting:
  enabled: true
  # alertmanager:
  #   receivers:
  #     - name: ops
  #       webhook: { url: "http://alert-hook.example.internal:5001/" }

grafana:
  enabled: true       # admin password generated into secrets/, never admin/admin

network:
  # Published ports bind here. Flink hosts must reach the Pushgateway: use an address they can reach.
  bindAddress: 127.0.0.1
`;
