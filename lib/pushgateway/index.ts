// Pushgateway housekeeping: list groups, find the stale ones, delete them.
export {
  listPushgatewayGroups,
  parsePushgatewayGroups,
  findStaleGroups,
  groupPath,
  deletePushgatewayGroup,
  prunePushgateway,
  type PushgatewayGroup,
  type StaleGroup,
  type StaleGroupOptions,
  type PushgatewayClientOptions,
  type PruneOptions,
  type PruneResult,
  type PruneFailure,
} from "./prune.js";
export { runPruneService, PruneStats, type PruneServiceOptions } from "./prune-service.js";
