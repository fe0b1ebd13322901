// Runs the bundled CLI as a module of its own, so that it gets a full
// require (an executable's main script may load only built-in modules),
// under a virtual folder whose files (preflight.css) come from the
// executable's assets, as a packaged standalone CLI reads them.
const Module = require("module");
const fs = require("fs");
const sea = require("node:sea");
const root = "/snapshot/tailwindcss/";
const readFileSync = fs.readFileSync;
fs.readFileSync = function (file, options) {
  if (typeof file === "string" && file.startsWith(root)) {
    const data = Buffer.from(sea.getRawAsset(file.slice(root.length)));
    const encoding = typeof options === "string" ? options : options && options.encoding;
    return encoding ? data.toString(encoding) : data;
  }
  return readFileSync.apply(this, arguments);
};
process.env.BROWSERSLIST_IGNORE_OLD_DATA ??= "1";
const filename = root + "tailwind.js";
const m = new Module(filename, null);
m.filename = filename;
m.paths = Module._nodeModulePaths(process.cwd());
m._compile(sea.getAsset("tailwind.js", "utf8"), filename);
