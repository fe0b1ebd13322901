#!/usr/bin/env bash
# Builds, in OUTDIR, a folder shaped like the builds.hex.pm index:
#
#   builds/otp/<arch>/ubuntu-22.04/OTP-25.2.3.tar.gz   Erlang root + Install
#   builds/otp/<arch>/ubuntu-22.04/builds.txt
#   builds/elixir/v1.14.0-otp-25.zip                   no top folder
#   builds/elixir/builds.txt
#   installs/1.14.0/rebar3-3.19.0                      the rebar3 escript
#   installs/rebar3-1.x.csv                            VERSION,SHA512,ELIXIR
#
# made from Debian bookworm's erlang 25.2.3, elixir 1.14.0 and rebar3 3.19.0
# packages, so the
# buildpacks can be tested with no access to builds.hex.pm. Only tools of a
# stock Debian 12 are used (apt-get, dpkg-deb, tar, gzip, python3).
#
# Usage: make-index.sh OUTDIR
# The .debs are cached in OUTDIR/../debs. A second run with an index made by
# the same recipe exits at once.
set -euo pipefail

# Bump when anything below changes what ends up in the index.
RECIPE='make-index 1: debian bookworm erlang 25.2.3, elixir 1.14.0'
OTP_VSN=25.2.3
OTP_MAJOR=25
ELIXIR_VSN=1.14.0
# Debian versions accepted (prefix): stable and security updates keep the
# upstream version but change the Debian revision (e.g. +deb12u4).
ERLANG_DEB_PREFIX='1:25.2.3+dfsg-'
ELIXIR_DEB_PREFIX='1.14.0.dfsg-'
# rebar3 is served where Mix's local.rebar looks on builds.hex.pm. No
# .signed CSV: only hex.pm's key can sign one that Mix < 1.18.3 accepts, so
# the buildpack checks the sha512 itself and hands Mix the file (MIX_REBAR3).
# It has its own stamp, so an index made before rebar3 was served gets it
# added without its OTP and Elixir archives being touched.
REBAR3_RECIPE='make-index rebar3 1: debian bookworm rebar3 3.19.0'
REBAR3_VSN=3.19.0
REBAR3_DEB_PREFIX='3.19.0-'
REBAR3_FILE=installs/$ELIXIR_VSN/rebar3-$REBAR3_VSN
REBAR3_CSV=installs/rebar3-1.x.csv
# The image name the consumer puts in the index path.
IMAGE_LABEL=ubuntu-22.04
# Besides the elixir deb's own Depends (taken recursively below): NIF headers
# and the apps Mix projects and releases commonly use.
EXTRA_PKGS=(erlang-dev erlang-inets erlang-ssl erlang-crypto erlang-public-key
  erlang-asn1 erlang-syntax-tools erlang-parsetools erlang-tools
  erlang-runtime-tools erlang-eunit erlang-xmerl erlang-mnesia erlang-os-mon
  erlang-edoc)

die() { printf 'make-index: %s\n' "$*" >&2; exit 1; }
log() { printf 'make-index: %s\n' "$*" >&2; }

if [ $# -ne 1 ] || [ -z "$1" ]; then echo "usage: $0 OUTDIR" >&2; exit 2; fi
# Plain bash up to the check below, not dirname and basename: set-up runs
# this before every build, and finding the index made must cost next to
# nothing.
path=$1
while [[ $path == */ && $path != / ]]; do path=${path%/}; done
case $path in */*) parent=${path%/*} parent=${parent:-/} ;; *) parent=. ;; esac
[ -d "$parent" ] || mkdir -p "$parent"
OUT=$(cd "$parent" && pwd)/${path##*/}
ARCH=$(dpkg --print-architecture) # builds.hex.pm uses Debian's names: amd64, arm64
OTP_REL=builds/otp/$ARCH/$IMAGE_LABEL
OTP_TGZ=$OTP_REL/OTP-$OTP_VSN.tar.gz
EX_ZIP=builds/elixir/v$ELIXIR_VSN-otp-$OTP_MAJOR.zip

complete() {
  [ -f "$OUT/.recipe" ] && [ "$(<"$OUT/.recipe")" = "$RECIPE" ] &&
    [ -f "$OUT/$OTP_TGZ" ] && [ -f "$OUT/$OTP_REL/builds.txt" ] &&
    [ -f "$OUT/$EX_ZIP" ] && [ -f "$OUT/builds/elixir/builds.txt" ]
}
rebar3_complete() {
  [ -f "$OUT/.recipe-rebar3" ] && [ "$(<"$OUT/.recipe-rebar3")" = "$REBAR3_RECIPE" ] &&
    [ -f "$OUT/$REBAR3_FILE" ] && [ -f "$OUT/$REBAR3_CSV" ]
}
complete && rebar3_complete && exit 0

# One builder at a time per OUTDIR; the one that waited may find it done.
exec 9>"$OUT.lock"
flock 9
complete && rebar3_complete && exit 0

# Everything is made in a temp dir beside OUTDIR and renamed into place at
# the end, so an interrupted run leaves no half-made index. Leftovers of
# interrupted runs are ours to remove since we hold the lock.
rm -rf "$OUT".tmp.* "$OUT".old.*
TMP=$(mktemp -d "$OUT.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
WORK=$TMP/.work
DEBS=$(dirname "$OUT")/debs
mkdir -p "$WORK" "$DEBS"

# --- Which debs -------------------------------------------------------------

# The candidate version apt would install, for each package given.
versions() { apt-cache show --no-all-versions "$@" 2>/dev/null | awk '/^Package:/ {p=$2} /^Version:/ {print p, $2}'; }

if ! apt-cache show --no-all-versions elixir >/dev/null 2>&1; then
  [ "$(id -u)" = 0 ] || die "apt knows no elixir package: run apt-get update"
  log "apt knows no elixir package: running apt-get update"
  apt-get update -qq
fi

# Puts rebar3 from Debian's deb (a self-contained escript) into DEST.
add_rebar3() {
  local dest=$1 v deb
  v=$(versions rebar3 | awk '$1 == "rebar3" {print $2}')
  [[ $v == "$REBAR3_DEB_PREFIX"* ]] || die "apt offers rebar3 ${v:-none}, want $REBAR3_DEB_PREFIX*"
  deb=$(compgen -G "$DEBS/rebar3_${v//:/%3a}_*.deb" | head -1 || true)
  if [ -z "$deb" ]; then
    log "downloading rebar3 $v into $DEBS"
    local dl=$TMP/.download-rebar3 sandbox=()
    mkdir -p "$dl"
    [ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
    (cd "$dl" && apt-get download -q "${sandbox[@]}" "rebar3=$v" >/dev/null) || die "apt-get download rebar3 failed"
    mv "$dl"/*.deb "$DEBS"/
    rm -rf "$dl"
    deb=$(compgen -G "$DEBS/rebar3_${v//:/%3a}_*.deb" | head -1)
  fi
  rm -rf "$WORK/rebar3-deb"
  dpkg-deb -x "$deb" "$WORK/rebar3-deb"
  local escript=$WORK/rebar3-deb/usr/bin/rebar3
  [ "$(head -c 22 "$escript")" = '#!/usr/bin/env escript' ] || die "rebar3 deb has no escript in usr/bin/rebar3"
  mkdir -p "$dest/$(dirname "$REBAR3_FILE")"
  cp "$escript" "$dest/$REBAR3_FILE"
  chmod 755 "$dest/$REBAR3_FILE"
  printf '%s,%s,%s\n' "$REBAR3_VSN" "$(sha512sum "$dest/$REBAR3_FILE" | cut -d' ' -f1)" "$ELIXIR_VSN" >"$dest/$REBAR3_CSV"
}

if complete; then
  log "adding rebar3 $REBAR3_VSN to the index in $OUT"
  add_rebar3 "$TMP"
  chmod -R go+rX "$TMP/installs"
  rm -rf "$OUT/installs"
  mv "$TMP/installs" "$OUT/installs"
  echo "$REBAR3_RECIPE" >"$OUT/.recipe-rebar3"
  log "rebar3 added to $OUT"
  exit 0
fi

# All erlang-* packages the elixir deb and the extras pull, recursively.
# Non-erlang libraries (libc, libssl, ...) are left to the images.
mapfile -t ERLANG_PKGS < <(
  apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts \
    --no-breaks --no-replaces --no-enhances elixir "${EXTRA_PKGS[@]}" |
    grep -E '^erlang-' | sort -u
)
declare -A VER=()
while read -r p v; do VER[$p]=$v; done < <(versions elixir "${ERLANG_PKGS[@]}")

[[ ${VER[elixir]:-} == "$ELIXIR_DEB_PREFIX"* ]] ||
  die "apt offers elixir ${VER[elixir]:-none}, want $ELIXIR_DEB_PREFIX*"
for p in "${ERLANG_PKGS[@]}"; do
  # They all come from one source package and depend on each other with "=".
  [[ ${VER[$p]:-} == "$ERLANG_DEB_PREFIX"* && ${VER[$p]} == "${VER[erlang-base]}" ]] ||
    die "apt offers $p ${VER[$p]:-none}, want ${VER[erlang-base]:-$ERLANG_DEB_PREFIX*}"
done

# --- Download (cached) ------------------------------------------------------

# The cached file apt-get download makes for a package (":" is written %3a).
deb_file() { compgen -G "$DEBS/${1}_${VER[$1]//:/%3a}_*.deb" | head -1 || true; }

missing=()
for p in elixir "${ERLANG_PKGS[@]}"; do
  [ -n "$(deb_file "$p")" ] || missing+=("$p=${VER[$p]}")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "downloading ${#missing[@]} debs into $DEBS"
  # Into our temp dir first (same filesystem), so the cache never holds a
  # cut-off download.
  dl=$TMP/.download
  mkdir -p "$dl"
  # As root, apt would hand the download to its _apt user, who cannot write
  # to our private temp dir: download as ourselves.
  sandbox=()
  [ "$(id -u)" != 0 ] || sandbox=(-o APT::Sandbox::User=root)
  (cd "$dl" && apt-get download -q "${sandbox[@]}" "${missing[@]}" >/dev/null) ||
    die "apt-get download failed"
  mv "$dl"/*.deb "$DEBS"/
  rm -rf "$dl"
fi
OTP_DEBS=()
for p in "${ERLANG_PKGS[@]}"; do OTP_DEBS+=("$(deb_file "$p")"); done
EX_DEB=$(deb_file elixir)

# --- Helpers ------------------------------------------------------------------

# Latest file mtime in a tree: the Debian build date, a stable timestamp for
# the archives and builds.txt (changes only when the debs change). Files only:
# unpacking several debs into one folder gives its dirs today's date.
tree_epoch() { find "$1" -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1; }
iso_date() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
# A fake git sha, stable for a given recipe and set of debs.
fake_sha() { printf '%s\n' "$RECIPE" "$@" | sha1sum | cut -c1-40; }

# Replaces symlinks with absolute targets (which would point into the host)
# inside TREE, extracted from debs under EROOT: a relative link when the
# target is inside TREE, else a copy of the target.
fix_abs_links() {
  local tree=$1 eroot=$2 link target real
  while IFS= read -r -d '' link; do
    target=$(readlink "$link")
    [[ $target == /* ]] || continue
    real=$(realpath -m "$eroot$target")
    if [[ $real == "$tree"/* ]]; then
      ln -sfn "$(realpath -m --relative-to="$(dirname "$link")" "$real")" "$link"
    elif [ -e "$real" ]; then
      rm -f "$link" && cp -a "$real" "$link"
    else
      die "symlink ${link#"$tree"/} -> $target points outside the packages"
    fi
  done < <(find "$tree" -type l -print0)
}

# --- OTP tarball --------------------------------------------------------------

log "making OTP-$OTP_VSN from ${#OTP_DEBS[@]} erlang debs"
for d in "${OTP_DEBS[@]}"; do dpkg-deb -x "$d" "$WORK/erlang-debs"; done
OTP=$WORK/OTP-$OTP_VSN
mv "$WORK/erlang-debs/usr/lib/erlang" "$OTP"
OTP_EPOCH=$(tree_epoch "$OTP")
fix_abs_links "$OTP" "$WORK/erlang-debs"

ERTS=$(cd "$OTP" && echo erts-*)
[ -x "$OTP/$ERTS/bin/beam.smp" ] || die "unexpected Erlang tree: no $ERTS/bin/beam.smp"
[ -d "$OTP/releases/$OTP_MAJOR" ] || die "unexpected Erlang tree: no releases/$OTP_MAJOR"

# Debian bakes /usr/lib/erlang into these files; anything else having it
# means the packages changed and this recipe must be looked at again.
baked=$(cd "$OTP" && grep -rlI /usr/lib/erlang . | sort | tr '\n' ' ')
want=$(printf '%s\n' ./bin/erl ./bin/start "./$ERTS/bin/erl" "./$ERTS/bin/start" ./releases/RELEASES | sort | tr '\n' ' ')
[ "$baked" = "$want" ] || die "files with /usr/lib/erlang: $baked (expected $want)"

# Turn them into templates the way OTP's own release does (erl.src, start.src,
# RELEASES.src), for Install to fill in. Debian also replaced the three
# ROOTDIR choices in erl/start with its path; restore upstream's: the
# installed path, else where the tree really is, else $ERL_ROOTDIR.
for f in erl start; do
  awk '
    /^[ \t]*ROOTDIR=\/usr\/lib\/erlang$/ {
      n++; sub(/\/usr\/lib\/erlang$/, n == 1 ? "\"%FINAL_ROOTDIR%\"" : n == 2 ? "\"$dyn_rootdir\"" : "\"$ERL_ROOTDIR\"")
    }
    { print }
    END { if (n != 3) exit 3 }
  ' "$OTP/$ERTS/bin/$f" >"$OTP/$ERTS/bin/$f.src" || die "unexpected ROOTDIR lines in $ERTS/bin/$f"
  ! grep -q /usr/lib/erlang "$OTP/$ERTS/bin/$f.src" || die "$ERTS/bin/$f still has /usr/lib/erlang"
  rm -f "$OTP/$ERTS/bin/$f" "$OTP/bin/$f"
done
sed 's;/usr/lib/erlang;%ERL_ROOT%;g' "$OTP/releases/RELEASES" >"$OTP/releases/RELEASES.src"
rm -f "$OTP/releases/RELEASES"

# OTP's Install, for this tree: "ROOTDIR/Install -minimal ROOTDIR".
sed -e "s/@ERTS_VSN@/${ERTS#erts-}/" -e "s/@OTP_MAJOR@/$OTP_MAJOR/" >"$OTP/Install" <<'EOF'
#!/bin/sh
# Usage: Install [-minimal|-sasl] [-cross] ROOTDIR
# Makes this Erlang/OTP tree work at ROOTDIR, like OTP's own Install: writes
# erl and start from their templates, picks the boot script and writes
# releases/RELEASES. Run it after unpacking the tree into ROOTDIR. With
# -cross the tree changed is the one this script is in, and ROOTDIR is only
# the path it will have later. Unknown options are ignored.
set -e
ERTS_VSN=@ERTS_VSN@
OTP_MAJOR=@OTP_MAJOR@

start_option=minimal
cross=
ERL_ROOT=
while [ $# -gt 0 ]; do
  case $1 in
    -minimal) start_option=minimal ;;
    -sasl) start_option=sasl ;;
    -cross) cross=yes ;;
    -*) echo "Install: ignoring option $1" >&2 ;;
    *) ERL_ROOT=$1 ;;
  esac
  shift
done

here=$(cd "$(dirname "$0")" && pwd)
[ -n "$ERL_ROOT" ] || ERL_ROOT=$here
if [ -n "$cross" ]; then
  TARGET_ERL_ROOT=$ERL_ROOT
  ERL_ROOT=$here
else
  if [ ! -d "$ERL_ROOT" ]; then
    echo "Install: $ERL_ROOT is not a directory" >&2
    exit 1
  fi
  ERL_ROOT=$(cd "$ERL_ROOT" && pwd)
  TARGET_ERL_ROOT=$ERL_ROOT
fi
if [ ! -f "$ERL_ROOT/erts-$ERTS_VSN/bin/erl.src" ]; then
  echo "Install: $ERL_ROOT does not hold this Erlang/OTP tree" >&2
  exit 1
fi

# The path as sed replacement text.
root_re=$(printf '%s\n' "$TARGET_ERL_ROOT" | sed 's/[\\&;]/\\&/g')
fill() {
  sed -e "s;%FINAL_ROOTDIR%;$root_re;g" -e "s;%ERL_ROOT%;$root_re;g" "$1" >"$2.new"
  chmod "$3" "$2.new"
  mv -f "$2.new" "$2"
}

cd "$ERL_ROOT/erts-$ERTS_VSN/bin"
fill erl.src erl 755
fill start.src start 755

cd "$ERL_ROOT/bin"
cp -p "../erts-$ERTS_VSN/bin/erl" erl
cp -p "../erts-$ERTS_VSN/bin/start" start
case $start_option in
  minimal) name=start_clean ;;
  sasl) name=start_sasl ;;
esac
cp -p "../releases/$OTP_MAJOR/$name.boot" start.boot
cp -p "../releases/$OTP_MAJOR/$name.script" start.script

fill ../releases/RELEASES.src ../releases/RELEASES 644
EOF
chmod 755 "$OTP/Install"
# Fill the templates with Debian's path, so the tarball also works unpacked
# without Install (erl then finds its real place itself).
sh "$OTP/Install" -minimal -cross /usr/lib/erlang

# Permissions as dpkg would leave them, whatever our umask.
chmod -R u+rwX,go+rX,go-w "$OTP"
mkdir -p "$TMP/$OTP_REL"
tar -C "$WORK" --sort=name --mtime="@$OTP_EPOCH" --owner=0 --group=0 --numeric-owner \
  --format=gnu -cf - "OTP-$OTP_VSN" | gzip -9n >"$TMP/$OTP_TGZ"

# --- Elixir zip ---------------------------------------------------------------

log "making v$ELIXIR_VSN-otp-$OTP_MAJOR from ${EX_DEB##*/}"
dpkg-deb -x "$EX_DEB" "$WORK/elixir-deb"
EX=$WORK/elixir
mv "$WORK/elixir-deb/usr/lib/elixir" "$EX"
EX_EPOCH=$(tree_epoch "$EX")
fix_abs_links "$EX" "$WORK/elixir-deb"
for f in elixir elixirc iex mix; do
  [ -f "$EX/bin/$f" ] || die "elixir deb has no bin/$f"
  [ -x "$EX/bin/$f" ] || die "elixir deb has no executable bin/$f"
done
[ -f "$EX/lib/elixir/ebin/elixir.app" ] || die "elixir deb has no lib/elixir/ebin/elixir.app"
# As in the upstream zips; some tools read it.
echo "$ELIXIR_VSN" >"$EX/VERSION"
chmod -R u+rwX,go+rX,go-w "$EX"

# A zip with sorted entries and fixed timestamps, modes kept in the external
# attributes (so unzip restores the executable bits). zip(1) may be missing.
python3 - "$EX" "$TMP/$EX_ZIP" "$EX_EPOCH" <<'EOF'
import os, stat, sys, time, zipfile

src, dst, epoch = sys.argv[1], sys.argv[2], int(sys.argv[3])
stamp = time.gmtime(max(epoch, 315532800))[:6]  # zip cannot go before 1980
paths = []
for root, dirs, files in os.walk(src):
    for name in dirs + files:
        paths.append(os.path.relpath(os.path.join(root, name), src))
os.makedirs(os.path.dirname(dst), exist_ok=True)
with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
    for rel in sorted(paths):
        full = os.path.join(src, rel)
        st = os.stat(full)  # follows relative symlinks: stored as copies
        if stat.S_ISDIR(st.st_mode):
            if os.path.islink(full):
                sys.exit("make-index: symlinked directory in elixir: " + rel)
            info = zipfile.ZipInfo(rel + "/", stamp)
            info.external_attr = (stat.S_IFDIR | 0o755) << 16 | 0x10
            data = b""
        else:
            info = zipfile.ZipInfo(rel, stamp)
            info.external_attr = (stat.S_IFREG | (st.st_mode & 0o777)) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            with open(full, "rb") as f:
                data = f.read()
        info.create_system = 3  # unix, so the modes above are honoured
        z.writestr(info, data)
EOF

# --- builds.txt, stamp, rename ------------------------------------------------

sha() { sha256sum "$1" | cut -d' ' -f1; }
printf 'OTP-%s %s %s %s\n' "$OTP_VSN" "$(fake_sha "${OTP_DEBS[@]##*/}")" \
  "$(iso_date "$OTP_EPOCH")" "$(sha "$TMP/$OTP_TGZ")" >"$TMP/$OTP_REL/builds.txt"
printf 'v%s-otp-%s %s %s %s\n' "$ELIXIR_VSN" "$OTP_MAJOR" "$(fake_sha "${EX_DEB##*/}")" \
  "$(iso_date "$EX_EPOCH")" "$(sha "$TMP/$EX_ZIP")" >"$TMP/builds/elixir/builds.txt"

log "adding rebar3 $REBAR3_VSN"
add_rebar3 "$TMP"
chmod -R go+rX "$TMP/installs"

rm -rf "$WORK"
chmod 755 "$TMP" # mktemp made it private; the index is served to others
# Written last: they mark the index complete.
echo "$REBAR3_RECIPE" >"$TMP/.recipe-rebar3"
echo "$RECIPE" >"$TMP/.recipe"
if [ -e "$OUT" ]; then mv "$OUT" "$OUT.old.$$"; fi
mv "$TMP" "$OUT"
rm -rf "$OUT.old.$$"
log "index ready in $OUT"
