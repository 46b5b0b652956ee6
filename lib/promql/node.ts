// node_exporter: the metric names and the series filters both the Hosts dashboard and the node alert rules use.

/** node_exporter metric names (stable since node_exporter 0.16). */
export const NODE_METRICS = {
  uname: "node_uname_info",
  cpuSeconds: "node_cpu_seconds_total",
  memAvailable: "node_memory_MemAvailable_bytes",
  memTotal: "node_memory_MemTotal_bytes",
  fsAvail: "node_filesystem_avail_bytes",
  fsSize: "node_filesystem_size_bytes",
  load1: "node_load1",
  load5: "node_load5",
  load15: "node_load15",
  netReceive: "node_network_receive_bytes_total",
  netTransmit: "node_network_transmit_bytes_total",
} as const;

/** Pseudo and container file systems: full by design, or not the host's disks. */
export const IGNORED_FSTYPES = "tmpfs|ramfs|devtmpfs|overlay|squashfs|nsfs|autofs|proc|sysfs|fuse.lxcfs";

/** Loopback and container bridge / veth devices. */
export const IGNORED_NET_DEVICES = "lo|veth.*|docker.*|br-.*|cni.*|flannel.*";
