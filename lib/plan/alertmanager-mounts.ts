// Where the planner mounts the secret files of Alertmanager receivers; alertmanager.yml points at the same paths.

/** Directory inside the Alertmanager container where secret files given by the user are mounted. */
export const ALERTMANAGER_SECRETS_DIR = "/etc/alertmanager-secrets";

/** Where a Slack receiver's webhook-URL file is mounted (read-only). */
export function slackUrlMountPath(receiverName: string): string {
  return `${ALERTMANAGER_SECRETS_DIR}/${receiverName}-slack-url`;
}

export function webhookUrlMountPath(receiverName: string): string {
  return `${ALERTMANAGER_SECRETS_DIR}/${receiverName}-webhook-url`;
}

export function smtpPasswordMountPath(receiverName: string): string {
  return `${ALERTMANAGER_SECRETS_DIR}/${receiverName}-smtp-password`;
}
