// An optional AlertmanagerConfig (monitoring.coreos.com/v1alpha1) with the config's receivers and route, as
// alertmanager/alertmanager.yml has them on Docker: Watchdog to a `watchdog` receiver or nowhere, critical alerts to
// the critical receiver, a critical alert silencing its warning. Secrets (webhook URL files, the SMTP password,
// the Slack URL) are read from keys of one Secret the user creates: never written into a manifest.
import { DEFAULT_RECEIVER, NULL_RECEIVER, WATCHDOG_RECEIVER } from "../alertmanager.js";
import { metadata, type Context, type Manifest } from "./meta.js";
import type { KubernetesSettings, ResolvedReceiver } from "./settings.js";

export interface ReceiverSecretKey {
  readonly key: string;
  /** The host file the config names: what the README's kubectl create secret reads. */
  readonly file: string;
}

export function receiverSecretName(ctx: Context): string {
  return `${ctx.project}-alertmanager-receivers`;
}

/** The keys of the receivers' Secret, in receiver order. */
export function receiverSecretKeys(receivers: readonly ResolvedReceiver[]): ReceiverSecretKey[] {
  return receivers.flatMap((receiver) => [
    ...(receiver.webhook?.urlFile !== undefined ? [{ key: `${receiver.name}-webhook-url`, file: receiver.webhook.urlFile }] : []),
    ...(receiver.email?.authPasswordFile !== undefined ? [{ key: `${receiver.name}-smtp-password`, file: receiver.email.authPasswordFile }] : []),
    ...(receiver.slack ? [{ key: `${receiver.name}-slack-url`, file: receiver.slack.apiUrlFile }] : []),
  ]);
}

const eq = (name: string, value: string) => ({ name, value, matchType: "=" });

export function buildAlertmanagerConfig(ctx: Context, alertmanager: NonNullable<KubernetesSettings["alertmanager"]>, pushgateway: boolean): Manifest {
  const secret = receiverSecretName(ctx);
  const ref = (key: string) => ({ name: secret, key });
  const receivers: Array<Record<string, unknown>> = alertmanager.receivers.map((receiver) => ({
    name: receiver.name,
    ...(receiver.webhook
      ? {
          webhookConfigs: [
            {
              ...(receiver.webhook.urlFile !== undefined ? { urlSecret: ref(`${receiver.name}-webhook-url`) } : { url: receiver.webhook.url }),
              sendResolved: receiver.webhook.sendResolved,
            },
          ],
        }
      : {}),
    ...(receiver.email
      ? {
          emailConfigs: [
            {
              to: receiver.email.to,
              from: receiver.email.from,
              smarthost: receiver.email.smarthost,
              ...(receiver.email.authUsername !== undefined ? { authUsername: receiver.email.authUsername } : {}),
              ...(receiver.email.authPasswordFile !== undefined ? { authPassword: ref(`${receiver.name}-smtp-password`) } : {}),
              requireTLS: receiver.email.requireTls,
              sendResolved: receiver.email.sendResolved,
            },
          ],
        }
      : {}),
    ...(receiver.slack
      ? {
          slackConfigs: [{ apiURL: ref(`${receiver.name}-slack-url`), channel: receiver.slack.channel, sendResolved: receiver.slack.sendResolved }],
        }
      : {}),
  }));
  const names = new Set(alertmanager.receivers.map((receiver) => receiver.name));
  const route = alertmanager.route;
  if (route.receiver === DEFAULT_RECEIVER && !names.has(DEFAULT_RECEIVER)) receivers.push({ name: DEFAULT_RECEIVER });
  const userWatchdog = names.has(WATCHDOG_RECEIVER);
  if (!userWatchdog) receivers.push({ name: NULL_RECEIVER });
  const routes: Array<Record<string, unknown>> = [
    userWatchdog
      ? { receiver: WATCHDOG_RECEIVER, matchers: [eq("alertname", "Watchdog")], groupWait: "0s", groupInterval: "1m", repeatInterval: "1m" }
      : { receiver: NULL_RECEIVER, matchers: [eq("alertname", "Watchdog")] },
    ...(route.criticalReceiver !== undefined && route.criticalReceiver !== route.receiver
      ? [{ receiver: route.criticalReceiver, matchers: [eq("severity", "critical")] }]
      : []),
  ];
  const inhibitRules: Array<Record<string, unknown>> = [
    { sourceMatch: [eq("severity", "critical")], targetMatch: [eq("severity", "warning")], equal: ["alertname", "cluster"] },
    ...(pushgateway
      ? [{ sourceMatch: [eq("alertname", "PushgatewayDown")], targetMatch: [{ name: "alertname", value: "Flink.*", matchType: "=~" }] }]
      : []),
  ];
  return {
    apiVersion: "monitoring.coreos.com/v1alpha1",
    kind: "AlertmanagerConfig",
    metadata: metadata(ctx, `${ctx.project}-flink`, "alerting", { ...ctx.settings.selectorLabels }),
    spec: {
      route: {
        receiver: route.receiver,
        groupBy: [...route.groupBy],
        groupWait: route.groupWait,
        groupInterval: route.groupInterval,
        repeatInterval: route.repeatInterval,
        routes,
      },
      receivers,
      inhibitRules,
    },
  };
}
