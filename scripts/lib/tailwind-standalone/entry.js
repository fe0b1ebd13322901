// The modules a tailwind.config.js may require, served from this bundle,
// as the standalone CLI serves them: the user's folder has no node_modules.
const Module = require("module");
const bundled = {
  "tailwindcss": () => require("tailwindcss"),
  "tailwindcss/plugin": () => require("tailwindcss/plugin"),
  "tailwindcss/colors": () => require("tailwindcss/colors"),
  "tailwindcss/defaultTheme": () => require("tailwindcss/defaultTheme"),
  "tailwindcss/defaultConfig": () => require("tailwindcss/defaultConfig"),
  "@tailwindcss/forms": () => require("@tailwindcss/forms"),
};
const original = Module.prototype.require;
Module.prototype.require = function (id) {
  if (Object.prototype.hasOwnProperty.call(bundled, id)) return bundled[id]();
  return original.apply(this, arguments);
};
require("tailwindcss/lib/cli");
