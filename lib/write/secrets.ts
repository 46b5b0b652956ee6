// Secrets the stack needs: the Grafana admin password (created once, 0600 in a 0700 folder, never printed)
// and the files the config names (Slack URL, SMTP and remote-write passwords). A missing user secret is an
// error before anything is written; loose modes are tightened inside the output folder, warned about outside.
import { randomBytes } from "node:crypto";
import { chmod, chown, link, open, readFile, rename, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { OutputError } from "../errors.js";
import type { SecretPlan } from "../plan/types.js";
import { asOutputError } from "./fs-errors.js";
import { tempNameFor } from "./journal.js";
import { PathGuard, makeFolders } from "./safe-path.js";

/** Grafana's container user; it must be able to read the bind-mounted secret. */
export const GRAFANA_UID = 472;
/** prom/prometheus and prom/alertmanager run as nobody. */
export const NOBODY_UID = 65534;

/** A secret file the config names and a container reads (bind mount). */
export interface UserSecretFile {
  /** Where the config names it, e.g. "alerting.alertmanager.receivers[0].slack.apiUrlFile". */
  readonly configPath: string;
  /** As given: absolute, or relative to the output folder. */
  readonly file: string;
  /** The uid of the container user that reads it. */
  readonly readerUid: number;
}

export interface SecretResult {
  readonly name: string;
  readonly file: string;
  readonly created: boolean;
  /** What we did beyond create/keep (recreated an empty one, tightened modes), never the secret itself. */
  readonly note?: string;
}

export interface WriteWarning {
  readonly path: string;
  readonly message: string;
  readonly hint?: string;
}

type Action =
  | {
      readonly kind: "create";
      readonly secret: SecretPlan;
      readonly abs: string;
      readonly rel: string | undefined;
      readonly note?: string;
      readonly replace: boolean;
    }
  | { readonly kind: "keep"; readonly secret: SecretPlan; readonly note?: string }
  | {
      readonly kind: "tighten";
      readonly name: string;
      readonly file: string;
      readonly abs: string;
      readonly folder: string | undefined;
      readonly uid: number;
      readonly secret?: SecretPlan;
    };

export interface SecretInspection {
  readonly actions: readonly Action[];
  readonly warnings: readonly WriteWarning[];
}

const LOOSE = 0o077;
const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** The output-relative path when `file` lies inside the output folder, else undefined. */
function insideRoot(guard: PathGuard, file: string): string | undefined {
  const rel = path.relative(guard.root, path.resolve(guard.root, file));
  return rel === "" || rel.startsWith("..") || path.isAbsolute(rel) ? undefined : rel;
}

function missingHint(abs: string): string {
  return `create it readable by you alone, with the secret as its only content: install -D -m 600 /dev/null ${abs}, then write the secret into it`;
}

/** Checks every secret before anything is written; throws for missing user secrets (unless `dryRun`). */
export async function inspectSecrets(
  secrets: readonly SecretPlan[],
  userFiles: readonly UserSecretFile[],
  guard: PathGuard,
  options: { dryRun?: boolean } = {},
): Promise<SecretInspection> {
  const actions: Action[] = [];
  const warnings: WriteWarning[] = [];
  const missing: WriteWarning[] = [];

  for (const secret of secrets) {
    const abs = path.resolve(guard.root, secret.file);
    const rel = insideRoot(guard, secret.file);
    const what = secret.generated ? "the generated secret" : `grafana.adminPasswordFile (${secret.file})`;
    if (rel !== undefined) {
      await guard.parentsExist(rel);
      const entry = await guard.entry(rel);
      if (entry.kind === "symlink" && (secret.generated || !(await stat(abs).catch(() => undefined)))) {
        throw new OutputError(
          `${abs} is a symbolic link${entry.linkTarget ? ` (to ${entry.linkTarget})` : ""}; ${what} is never written through a link. ` +
            `Remove the link (the stack then creates the password there), or put the password file itself in its place.`,
        );
      }
      if (entry.kind === "dir" || entry.kind === "other") {
        throw new OutputError(`${abs} is not a regular file where ${what} belongs. Move it away, then generate again.`);
      }
      if (entry.kind === "missing") {
        actions.push({
          kind: "create",
          secret,
          abs,
          rel,
          replace: false,
          ...(secret.generated ? {} : { note: "grafana.adminPasswordFile named it and it did not exist: a random password was created there" }),
        });
        continue;
      }
      if (entry.kind === "file" && secret.generated && (await readFile(abs, "utf8").catch(() => "x")).trim() === "") {
        actions.push({
          kind: "create",
          secret,
          abs,
          rel,
          replace: true,
          note: "it was empty (an interrupted earlier run?): a new password was created",
        });
        continue;
      }
      if (entry.kind === "file") {
        const tighten = await tightenAction(guard, secret.name, secret.file, abs, rel, GRAFANA_UID, entry.mode ?? 0);
        actions.push(tighten ? { ...tighten, secret } : { kind: "keep", secret });
        continue;
      }
      // A link the user made to their own, existing password file: theirs, judged like a file outside.
    }
    const info = await stat(abs).catch((error: NodeJS.ErrnoException) =>
      error.code === "ENOENT" ? undefined : asOutputError(error, "inspect", abs),
    );
    if (!info) {
      // The stack can create the Grafana password itself, wherever the config says.
      actions.push({
        kind: "create",
        secret,
        abs,
        rel: undefined,
        replace: false,
        note: "grafana.adminPasswordFile named it and it did not exist: a random password was created there",
      });
      continue;
    }
    if (!info.isFile()) throw new OutputError(`${abs} (grafana.adminPasswordFile) is not a regular file. Name the file that holds the password.`);
    if ((info.mode & LOOSE) !== 0) warnings.push(looseWarning(abs, "grafana.adminPasswordFile", info.mode));
    actions.push({ kind: "keep", secret });
  }

  for (const user of userFiles) {
    const abs = path.resolve(guard.root, user.file);
    const rel = insideRoot(guard, user.file);
    if (rel !== undefined) await guard.parentsExist(rel);
    const info = await stat(abs).catch((error: NodeJS.ErrnoException) =>
      error.code === "ENOENT" || error.code === "ENOTDIR" ? undefined : asOutputError(error, "inspect", abs),
    );
    const shown = rel === undefined ? abs : `${user.file} (in the output folder: ${abs})`;
    if (!info) {
      missing.push({ path: user.configPath, message: `${shown} does not exist`, hint: missingHint(abs) });
      continue;
    }
    if (!info.isFile()) {
      missing.push({ path: user.configPath, message: `${shown} is not a regular file`, hint: "name the file that holds the secret" });
      continue;
    }
    const entry = rel === undefined ? undefined : await guard.entry(rel);
    if (rel !== undefined && entry?.kind === "file") {
      const tighten = await tightenAction(guard, user.configPath, user.file, abs, rel, user.readerUid, info.mode);
      if (tighten) actions.push(tighten);
    } else if ((info.mode & LOOSE) !== 0) {
      warnings.push(looseWarning(abs, user.configPath, info.mode));
    }
  }

  if (missing.length > 0) {
    if (options.dryRun) return { actions: [], warnings: [...missing, ...warnings] };
    throw new OutputError(
      `${missing.length === 1 ? "a secret file the config names does not exist" : `${missing.length} secret files the config names are missing`}; nothing was written:\n` +
        missing.map((issue) => `  ${issue.path}: ${issue.message}\n    hint: ${issue.hint}`).join("\n"),
    );
  }
  return { actions, warnings };
}

function looseWarning(abs: string, configPath: string, mode: number): WriteWarning {
  return {
    path: configPath,
    message: `${abs} holds a secret but is readable by others (mode ${octal(mode)})`,
    hint: `chmod 600 ${abs}`,
  };
}

async function tightenAction(guard: PathGuard, name: string, file: string, abs: string, rel: string, uid: number, mode: number) {
  const folderRel = path.dirname(rel);
  const folder = folderRel === "." ? undefined : folderRel;
  const folderEntry = folder === undefined ? undefined : await guard.entry(folder);
  const looseFolder = folderEntry?.kind === "dir" && ((folderEntry.mode ?? 0) & LOOSE) !== 0;
  if ((mode & LOOSE) === 0 && !looseFolder) return undefined;
  return { kind: "tighten" as const, name, file, abs, folder: looseFolder ? folder : undefined, uid };
}

const isRoot = () => process.getuid?.() === 0;

async function createSecret(guard: PathGuard, abs: string, rel: string | undefined, replace: boolean): Promise<void> {
  if (rel !== undefined) await guard.makeParents(rel, 0o700);
  else await makeFolders(path.dirname(abs), 0o700);
  const temp = tempNameFor(abs);
  try {
    // Written whole and flushed before it gets its name: a crash leaves a temp file, never an empty secret.
    const handle = await open(temp, "wx", 0o600);
    try {
      await handle.writeFile(`${randomBytes(24).toString("base64url")}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (isRoot()) await chown(temp, GRAFANA_UID, 0);
    // link() never replaces: if another run created it meanwhile, that one is kept.
    if (replace) await rename(temp, abs);
    else
      await link(temp, abs).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "EEXIST") throw error;
      });
  } catch (error) {
    asOutputError(error, "create the secret", abs);
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

export async function applySecrets(inspection: SecretInspection, guard: PathGuard): Promise<SecretResult[]> {
  const results: SecretResult[] = [];
  for (const action of inspection.actions) {
    if (action.kind === "create") {
      await createSecret(guard, action.abs, action.rel, action.replace);
      results.push({ name: action.secret.name, file: action.secret.file, created: true, ...(action.note ? { note: action.note } : {}) });
    } else if (action.kind === "keep") {
      results.push({ name: action.secret.name, file: action.secret.file, created: false, ...(action.note ? { note: action.note } : {}) });
    } else {
      try {
        await chmod(action.abs, 0o600);
        if (action.folder !== undefined) await chmod(guard.absolute(action.folder), 0o700);
        if (isRoot()) await chown(action.abs, action.uid, 0);
      } catch (error) {
        asOutputError(error, "tighten the mode of", action.abs);
      }
      const note =
        `its mode was loose: tightened to 0600${action.folder !== undefined ? ` in a 0700 folder` : ""}` +
        (isRoot()
          ? ` and handed to uid ${action.uid}, the container user that reads it`
          : `; the container reads it as uid ${action.uid}: run "sudo chown ${action.uid} ${action.abs}" once`);
      results.push({ name: action.secret?.name ?? action.name, file: action.file, created: false, note });
    }
  }
  return results;
}
