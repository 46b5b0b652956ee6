// Escaping for files whose readers interpolate environment variables.

/** A user string as a literal in docker-compose.yml, which expands $VAR and ${VAR}: `$` → `$$`. */
export function composeLiteral(value: string): string {
  return value.replaceAll("$", "$$$$");
}

/** Grafana provisioning YAML expands $VAR and ${VAR} too, and also reads `$$` as a literal `$`. */
export const grafanaProvisioningLiteral = composeLiteral;
