// The standalone tailwind 4 CLI: @tailwindcss/cli, compiled with bun into
// one executable (bun build --compile), as upstream's releases are. The
// hooks below are the ones @tailwindcss/node and the CLI look for
// (globalThis.__tw_*): they serve tailwindcss's own CSS and the bundled
// first-party plugins from inside the executable, since the user's folder
// has no node_modules.
import fs from "node:fs";
import tailwindPackage from "tailwindcss/package.json";
import indexCss from "tailwindcss/index.css" with { type: "file" };
import preflightCss from "tailwindcss/preflight.css" with { type: "file" };
import themeCss from "tailwindcss/theme.css" with { type: "file" };
import utilitiesCss from "tailwindcss/utilities.css" with { type: "file" };
import * as tailwindcss from "tailwindcss";
import * as colors from "tailwindcss/colors";
import * as plugin from "tailwindcss/plugin";
import * as defaultTheme from "tailwindcss/defaultTheme";
import * as flattenColorPalette from "tailwindcss/lib/util/flattenColorPalette";
import forms from "@tailwindcss/forms";
import typography from "@tailwindcss/typography";
import aspectRatio from "@tailwindcss/aspect-ratio";

// Files embedded in the executable live under bun's virtual root.
const inExecutable = (p) => typeof p === "string" && (p.startsWith("/$bunfs/root") || p.includes(":/~BUN/root"));

const stylesheets = {
  tailwindcss: indexCss,
  index: indexCss,
  "index.css": indexCss,
  theme: themeCss,
  "theme.css": themeCss,
  preflight: preflightCss,
  "preflight.css": preflightCss,
  utilities: utilitiesCss,
  "utilities.css": utilitiesCss,
};
const plugins = {
  "@tailwindcss/forms": forms,
  "@tailwindcss/typography": typography,
  "@tailwindcss/aspect-ratio": aspectRatio,
};

globalThis.__tw_version = tailwindPackage.version;

// @import "tailwindcss" (and its own ./theme.css imports, relative to the
// embedded index.css) resolve to the embedded stylesheets; the plugins
// resolve to their names, for __tw_load.
globalThis.__tw_resolve = (id, base) => {
  let name = id;
  if (name.startsWith("tailwindcss/")) name = name.slice("tailwindcss/".length);
  else if (inExecutable(base) && name.startsWith("./")) name = name.slice(2);
  else if (name !== "tailwindcss" && !name.startsWith("@tailwindcss/")) return false;
  if (Object.hasOwn(stylesheets, name)) return stylesheets[name];
  if (Object.hasOwn(plugins, name)) return name;
  return false;
};
globalThis.__tw_load = async (id) => {
  for (const [name, module] of Object.entries(plugins)) if (id.endsWith(name)) return module;
  return undefined;
};
globalThis.__tw_readFile = async (path, encoding) => (inExecutable(path) ? fs.readFileSync(path, encoding) : undefined);

// A plugin or config file of the app may import tailwindcss's JS API: it is
// served from this bundle.
const modules = {
  tailwindcss,
  "tailwindcss/colors": colors,
  "tailwindcss/colors.js": colors,
  "tailwindcss/plugin": plugin,
  "tailwindcss/plugin.js": plugin,
  "tailwindcss/package.json": tailwindPackage,
  "tailwindcss/defaultTheme": defaultTheme,
  "tailwindcss/defaultTheme.js": defaultTheme,
  "tailwindcss/lib/util/flattenColorPalette": flattenColorPalette,
  "tailwindcss/lib/util/flattenColorPalette.js": flattenColorPalette,
};
Bun.plugin({
  name: "tailwindcss-api",
  target: "bun",
  setup(build) {
    for (const [id, exports] of Object.entries(modules)) {
      build.module(id, () => ({ loader: "object", exports: { ...exports, __esModule: true } }));
    }
  },
});

await import("./node_modules/@tailwindcss/cli/dist/index.mjs");
