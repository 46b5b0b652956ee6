// ESLint 9 flat config: typescript-eslint's strict and stylistic type-checked rules on lib/, test/ and bench/,
// the recommended JavaScript rules on scripts/. Formatting is Prettier's job (npm run format:check), not ESLint's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "dist-check/**",
      "node_modules/**",
      "lib/generated/**",
      "examples/*/out/**",
      "out/**",
      "test/fixtures/**",
      "test/flink/src/**",
    ],
  },
  js.configs.recommended,
  {
    files: ["**/*.ts"],
    extends: [...tseslint.configs.strictTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // Messages interpolate counts, ports and flags all the time; String(n) around each would add noise only.
      "@typescript-eslint/restrict-template-expressions": ["error", { allowNumber: true, allowBoolean: true }],
      // node:test's describe/it/test return promises the runner itself awaits.
      "@typescript-eslint/no-floating-promises": [
        "error",
        {
          allowForKnownSafeCalls: [
            { from: "package", package: "node:test", name: ["describe", "it", "test", "suite", "before", "after", "beforeEach", "afterEach"] },
          ],
        },
      ],
      // With noUncheckedIndexedAccess, `!` marks an index read the code knows is present (a regex group that
      // matched, a key just set); a runtime check there would be dead code.
      "@typescript-eslint/no-non-null-assertion": "off",
      // `(x) => say(x)` as a callback reads as intended; only statement-level void misuse is worth flagging.
      "@typescript-eslint/no-confusing-void-expression": ["error", { ignoreArrowShorthand: true }],
      // T[] for simple element types, Array<{ … }> where the element is an object type literal or a union.
      "@typescript-eslint/array-type": ["error", { default: "array-simple" }],
      // `_name` marks a binding kept on purpose (a rest sibling left out, a signature's unused parameter).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
      // fs promises reject with NodeJS.ErrnoException: `.catch((error: NodeJS.ErrnoException) => …)` says so
      // where `unknown` would only move the same assumption into a cast.
      "@typescript-eslint/use-unknown-in-catch-callback-variable": "off",
      // `a || b` on booleans (CLI flags) and strings (`text.trim() || undefined`: an empty answer is no answer) is
      // the intended operator; `??` there would change the meaning.
      "@typescript-eslint/prefer-nullish-coalescing": ["error", { ignorePrimitives: { boolean: true, string: true } }],
      // requestJson<T>() / parse<T>(): the caller names the shape it expects of a JSON answer, read unchecked.
      "@typescript-eslint/no-unnecessary-type-parameters": "off",
    },
  },
  {
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: {
      // Tests read tools' and services' JSON through asserted types: optional chains there guard what a type
      // only claims (a failing assertion beats a TypeError); lib/ keeps the rule.
      "@typescript-eslint/no-unnecessary-condition": "off",
      // Callbacks of waitFor and stubbed fetch are async to fill Promise-returning signatures.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    files: ["lib/docker/**/*.ts"],
    rules: {
      // dockerode's types promise fields the Engine API leaves out or sends as null (Labels, Ports, Mounts,
      // State.Health, Config.Env on older engines): the optional chains guard what a type only claims.
      "@typescript-eslint/no-unnecessary-condition": "off",
    },
  },
  {
    files: ["**/*.mjs", "**/*.js", "**/*.cjs"],
    languageOptions: {
      globals: {
        process: "readonly",
        console: "readonly",
        require: "readonly",
        module: "writable",
        __dirname: "readonly",
        URL: "readonly",
        Buffer: "readonly",
      },
    },
  },
);
