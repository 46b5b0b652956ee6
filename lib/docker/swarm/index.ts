// Target swarm's runtime: deploy, status and removal of a stack through the Docker CLI (stack deploy / rm) and the
// Engine API (everything it waits for and reports).
export { swarmUp, type SwarmUpOptions, type SwarmUpResult } from "./up.js";
export { swarmDown, type SwarmDownResult } from "./down.js";
export { swarmStatus, type SwarmStatus } from "./status.js";
