// alertmanager/alertmanager.yml: receivers and route from the config, Watchdog kept away from people,
// critical alerts silencing their own warnings. Written in the syntax Alertmanager 0.22+ reads
// (`matchers`, `source_matchers`, `api_url_file`), so the Debian 0.25 amtool and current releases agree.
import type { ResolvedReceiver } from "../config/resolved.js";
import { DEFAULT_RECEIVER, NULL_RECEIVER, WATCHDOG_RECEIVER } from "../config/receivers.js";
import { slackUrlMountPath, smtpPasswordMountPath, webhookUrlMountPath } from "../plan/alertmanager-mounts.js";
import { findService, type StackPlan } from "../plan/types.js";
import type { Artifact } from "./artifact.js";
import { deepMerge, type PlainObject } from "./merge.js";
import { yamlArtifact } from "./yaml.js";

export const ALERTMANAGER_CONFIG_PATH = "alertmanager/alertmanager.yml";
export { ALERTMANAGER_SECRETS_DIR, slackUrlMountPath, smtpPasswordMountPath, webhookUrlMountPath } from "../plan/alertmanager-mounts.js";
export { DEFAULT_RECEIVER, NULL_RECEIVER, WATCHDOG_RECEIVER } from "../config/receivers.js";

export function buildAlertmanagerConfig(plan: StackPlan): PlainObject {
  const am = plan.alerting.alertmanager;
  const route = am.route;
  const receivers: PlainObject[] = am.receivers.map(receiverConfig);
  const names = new Set(am.receivers.map((receiver) => receiver.name));
  const addEmptyReceiver = (name: string) => {
    if (!names.has(name)) {
      receivers.push({ name });
      names.add(name);
    }
  };
  // Validation guarantees that named receivers exist; with none configured, the route's `default` is empty.
  if (route.receiver === DEFAULT_RECEIVER) addEmptyReceiver(DEFAULT_RECEIVER);

  // Watchdog always fires: to the user's dead man's switch if there is a receiver named `watchdog`, else nowhere
  // (validation reserves the name `null`, so no user receiver can merge with this sink and page on Watchdog).
  const userWatchdog = names.has(WATCHDOG_RECEIVER);
  const watchdogRoute: PlainObject = userWatchdog
    ? { receiver: WATCHDOG_RECEIVER, matchers: ['alertname="Watchdog"'], group_wait: "0s", group_interval: "1m", repeat_interval: "1m" }
    : { receiver: NULL_RECEIVER, matchers: ['alertname="Watchdog"'] };
  if (!userWatchdog) addEmptyReceiver(NULL_RECEIVER);

  const routes: PlainObject[] = [watchdogRoute];
  if (route.criticalReceiver !== undefined && route.criticalReceiver !== route.receiver) {
    routes.push({ receiver: route.criticalReceiver, matchers: ['severity="critical"'] });
  }

  const inhibitRules: PlainObject[] = [
    // A critical alert silences the warning of the same alert for the same cluster.
    { source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ["alertname", "cluster"] },
  ];
  if (findService(plan, "pushgateway") && plan.flink.mode === "pushgateway") {
    // Every Flink metric flows through the Pushgateway: while it is down, Flink alerts say nothing new.
    inhibitRules.push({ source_matchers: ['alertname="PushgatewayDown"'], target_matchers: ['alertname=~"Flink.*"'], equal: [] });
  }

  const config: PlainObject = {
    route: {
      receiver: route.receiver,
      group_by: [...route.groupBy],
      group_wait: route.groupWait,
      group_interval: route.groupInterval,
      repeat_interval: route.repeatInterval,
      routes,
    },
    receivers,
    inhibit_rules: inhibitRules,
  };
  return deepMerge(config, plan.overrides.alertmanager);
}

export function renderAlertmanagerConfig(plan: StackPlan): Artifact {
  return yamlArtifact(ALERTMANAGER_CONFIG_PATH, buildAlertmanagerConfig(plan));
}

function receiverConfig(receiver: ResolvedReceiver): PlainObject {
  const out: PlainObject = { name: receiver.name };
  if (receiver.webhook) {
    // url_file (Alertmanager 0.26+) keeps a URL that carries a token out of this 0644 file.
    const target = receiver.webhook.urlFile !== undefined ? { url_file: webhookUrlMountPath(receiver.name) } : { url: receiver.webhook.url };
    out.webhook_configs = [{ ...target, send_resolved: receiver.webhook.sendResolved }];
  }
  if (receiver.email) {
    const email = receiver.email;
    out.email_configs = [
      {
        to: email.to,
        from: email.from,
        smarthost: email.smarthost,
        ...(email.authUsername !== undefined ? { auth_username: email.authUsername } : {}),
        ...(email.authPasswordFile !== undefined ? { auth_password_file: smtpPasswordMountPath(receiver.name) } : {}),
        require_tls: email.requireTls,
        send_resolved: email.sendResolved,
      },
    ];
  }
  if (receiver.slack) {
    out.slack_configs = [
      {
        api_url_file: slackUrlMountPath(receiver.name),
        channel: receiver.slack.channel,
        send_resolved: receiver.slack.sendResolved,
      },
    ];
  }
  return out;
}
