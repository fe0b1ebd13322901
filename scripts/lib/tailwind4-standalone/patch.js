// Makes lightningcss and @parcel/watcher require their linux-x64 glibc
// native package by a literal name, which bun build --compile can follow
// and embed; as published they build the name at run time (platform, arch,
// libc), which a bundler cannot see. Upstream's standalone build patches
// both the same way. Fails if the code to replace is not found, so that a
// version bump in package.json cannot skip it silently.
const fs = require("node:fs");

function patch(file, from, to) {
  const text = fs.readFileSync(file, "utf8");
  const start = text.indexOf(from[0]);
  const end = text.indexOf(from[1], start);
  if (start !== 0 || end < 0) throw new Error(`${file}: the native package lookup to patch is not there`);
  fs.writeFileSync(file, to + text.slice(end + from[1].length));
}

patch(
  "node_modules/lightningcss/node/index.js",
  ["let parts = [process.platform, process.arch];", "native = require(`../lightningcss.${parts.join('-')}.node`);\n}\n"],
  "const native = require('lightningcss-linux-x64-gnu');\n",
);
patch(
  "node_modules/@parcel/watcher/index.js",
  ["const {createWrapper} = require('./wrapper');", "function handleError(err) {\n  if (err?.code !== 'MODULE_NOT_FOUND') {\n    throw err;\n  }\n}\n"],
  "const {createWrapper} = require('./wrapper');\nconst binding = require('@parcel/watcher-linux-x64-glibc');\n",
);
