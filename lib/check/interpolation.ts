// Compose interpolation as both Compose v2 and Debian's docker-compose 1.29 read it (checked with the real
// `docker-compose config`): `$$` is a literal `$`; `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
// `${NAME:?error}` and `${NAME?error}` read the environment. v1 refuses `$1`, a lone or trailing `$`, `${`
// unclosed, `${}` and `${NAME:+x}`; it does not nest (`${A:-${B}}` becomes "1}" there, B's value in v2).

const NAME = "[A-Za-z_][A-Za-z0-9_]*";
const TOKEN = new RegExp(`\\$(?:\\$|${NAME}|\\{${NAME}(?:(?::?[-?])[^}$]*)?\\})`, "y");

/** The offset of the first `$` that is not a valid interpolation, or -1. */
export function invalidInterpolationAt(text: string): number {
  for (let index = text.indexOf("$"); index !== -1; index = text.indexOf("$", index)) {
    TOKEN.lastIndex = index;
    const match = TOKEN.exec(text);
    if (!match) return index;
    index += match[0].length;
  }
  return -1;
}

export const INTERPOLATION_HINT =
  "Compose reads $NAME and ${NAME} from the environment: write $$ for a literal $ (defaults as ${NAME:-value}, without a $ inside)";
