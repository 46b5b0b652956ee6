// Receiver names the stack reserves or gives a meaning to (validation refuses or routes them; alertmanager.yml uses them).

/** The receiver that gets the routed alerts when the config names none. */
export const DEFAULT_RECEIVER = "default";
/** Receiver that drops what it gets (no integrations): where Watchdog goes unless the user routes it. Reserved. */
export const NULL_RECEIVER = "null";
/** A user receiver with this name gets the Watchdog alert: a dead man's switch. */
export const WATCHDOG_RECEIVER = "watchdog";
