// The Pushgateway as a Deployment, a ClusterIP Service (no public port: Flink pods push to it inside the
// cluster) and its ServiceMonitor, from the plan's pushgateway service (image, arguments, readiness endpoint).
// Types only (erased at build): the compiler holds the literals to the Kubernetes API's fields.
import { requireHttpEndpoint } from "../../plan/wait.js";
import type { IDeployment } from "kubernetes-models/apps/v1";
import type { IService } from "kubernetes-models/v1";
import { findService, type StackPlan } from "../../plan/types.js";
import { commonLabels, metadata, type Context, type Manifest } from "./meta.js";
import { buildPushgatewayServiceMonitor, PUSHGATEWAY_PORT_NAME } from "./monitors.js";

/** The Pushgateway image runs as nobody. */
const NOBODY = 65534;

export function pushgatewayName(ctx: Context): string {
  return `${ctx.project}-pushgateway`;
}

/** The URL Flink pods push to: the Service's cluster DNS name. */
export function pushgatewayServiceUrl(plan: StackPlan, ctx: Context): string | undefined {
  const service = findService(plan, "pushgateway");
  return service === undefined ? undefined : `http://${pushgatewayName(ctx)}.${ctx.settings.namespace}.svc:${requireHttpEndpoint(service).port}`;
}

export function buildPushgateway(plan: StackPlan, ctx: Context): Manifest[] {
  const service = findService(plan, "pushgateway");
  if (service === undefined) return [];
  const name = pushgatewayName(ctx);
  const selector = { "app.kubernetes.io/name": "pushgateway", "app.kubernetes.io/instance": ctx.project };
  const port = requireHttpEndpoint(service).port;
  const probe = {
    httpGet: { path: requireHttpEndpoint(service).path, port: PUSHGATEWAY_PORT_NAME },
    periodSeconds: service.healthcheck.intervalSeconds,
    timeoutSeconds: service.healthcheck.timeoutSeconds,
  };
  // Persistence (when configured) goes to an emptyDir: it survives container restarts, not a new pod.
  const volumes = service.mounts.filter((mount) => mount.type === "volume");
  const deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: metadata(ctx, name, "pushgateway"),
    spec: {
      replicas: 1,
      // One Pushgateway holds the pushed groups in memory: never two at once.
      strategy: { type: "Recreate" },
      selector: { matchLabels: selector },
      template: {
        metadata: { labels: { ...commonLabels(ctx, "pushgateway"), ...selector } },
        spec: {
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: NOBODY, runAsGroup: NOBODY, fsGroup: NOBODY, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "pushgateway",
              image: service.image,
              ...(service.command.length > 0 ? { args: [...service.command] } : {}),
              ports: [{ name: PUSHGATEWAY_PORT_NAME, containerPort: port, protocol: "TCP" }],
              readinessProbe: probe,
              livenessProbe: { ...probe, failureThreshold: service.healthcheck.retries },
              resources: { requests: { cpu: "50m", memory: "64Mi" }, limits: { memory: "256Mi" } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              ...(volumes.length > 0 ? { volumeMounts: volumes.map((mount) => ({ name: mount.source, mountPath: mount.target })) } : {}),
            },
          ],
          ...(volumes.length > 0 ? { volumes: volumes.map((mount) => ({ name: mount.source, emptyDir: {} })) } : {}),
        },
      },
    },
  } satisfies IDeployment;
  const svc = {
    apiVersion: "v1",
    kind: "Service",
    metadata: metadata(ctx, name, "pushgateway", selector),
    spec: { type: "ClusterIP", selector, ports: [{ name: PUSHGATEWAY_PORT_NAME, port, targetPort: PUSHGATEWAY_PORT_NAME, protocol: "TCP" }] },
  } satisfies IService;
  const monitor = buildPushgatewayServiceMonitor(plan, ctx, name, selector);
  return [deployment, svc, ...(monitor ? [monitor] : [])];
}
