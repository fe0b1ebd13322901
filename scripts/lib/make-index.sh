#!/usr/bin/env bash
# Builds, in OUTDIR, a folder shaped like the builds.hex.pm index, holding
# two toolchain generations made from Debian's own packages:
#
#   bookworm (Debian 12): Erlang/OTP 25.2.3, Elixir 1.14.0, rebar3 3.19.0
#   trixie (Debian 13):   Erlang/OTP 27.3.4.1, Elixir 1.18.3, rebar3 3.24.0
#
#   builds/otp/<arch>/ubuntu-22.04/OTP-25.2.3.tar.gz     Erlang root + Install
#   builds/otp/<arch>/ubuntu-22.04/builds.txt            OTP-25.2.3
#   builds/otp/<arch>/ubuntu-24.04/OTP-25.2.3.tar.gz     the same file
#   builds/otp/<arch>/ubuntu-24.04/OTP-27.3.4.1.tar.gz
#   builds/otp/<arch>/ubuntu-24.04/builds.txt            OTP-25.2.3, OTP-27.3.4.1
#   builds/elixir/v1.14.0-otp-25.zip                     no top folder
#   builds/elixir/v1.18.3-otp-27.zip
#   builds/elixir/builds.txt                             both
#   installs/1.14.0/rebar3-3.19.0                        the rebar3 escripts
#   installs/1.18.3/rebar3-3.24.0
#   installs/rebar3-1.x.csv                              VERSION,SHA512,ELIXIR
#   installs/1.18.3/hex-2.5.1.ez                         the Hex client
#   installs/hex-1.x.csv                                 VERSION,SHA512,ELIXIR
#
# Each OTP is in the OS folders whose glibc it runs on: bookworm's (glibc
# 2.36) in ubuntu-22.04 and ubuntu-24.04, trixie's (it needs glibc 2.38) in
# ubuntu-24.04 only. Each Elixir is named for the OTP major it was compiled
# with. So the buildpacks can be tested with no access to builds.hex.pm. Only
# tools of a stock Debian 12 are used (apt-get, dpkg-deb, tar, gzip, python3).
#
# Usage: make-index.sh OUTDIR
# The .debs are cached in OUTDIR/../debs, and each suite's package lists in
# OUTDIR/../apt/SUITE: a private apt configuration, so neither this
# machine's apt sources nor its lists are used or changed (only its mirror
# is read from them). A second run with an index made by the same recipe
# exits at once.
set -euo pipefail

# The generations, oldest first (the rebar3 CSV must list the older rebar3
# first), one a line: the Debian suite; the OTP version (as the tree's
# releases/MAJOR/OTP_VERSION says), Elixir and rebar3 made from it; the
# index's OS folders the OTP goes in; then the Debian versions of erlang,
# elixir and rebar3 accepted (prefixes: stable and security updates keep the
# upstream version but change the Debian revision, e.g. +deb12u4).
GENERATIONS=(
  'bookworm 25.2.3   1.14.0 3.19.0 ubuntu-22.04,ubuntu-24.04 1:25.2.3+dfsg-           1.14.0.dfsg-  3.19.0-'
  'trixie   27.3.4.1 1.18.3 3.24.0 ubuntu-24.04              1:27.3.4.1+dfsg-1+deb13u 1.18.3.dfsg-1 3.24.0-1'
)
# Bump when anything below changes what ends up in the index (the table is
# part of the recipe by itself).
RECIPE_VERSION=3
# Besides the elixir deb's own Depends (taken recursively below): NIF headers
# and the apps Mix projects and releases commonly use. ftp, tftp and snmp
# came along with inets and os-mon in bookworm but not in trixie: named, so
# both OTPs hold the same apps.
EXTRA_PKGS=(erlang-dev erlang-inets erlang-ssl erlang-crypto erlang-public-key
  erlang-asn1 erlang-syntax-tools erlang-parsetools erlang-tools
  erlang-runtime-tools erlang-eunit erlang-xmerl erlang-mnesia erlang-os-mon
  erlang-edoc erlang-ftp erlang-tftp erlang-snmp)
# rebar3 is served where Mix's local.rebar looks on builds.hex.pm. No
# .signed CSV: only hex.pm's key can sign one that Mix < 1.18.3 accepts, so
# the buildpack checks the sha512 itself and hands Mix the file (MIX_REBAR3).
REBAR3_CSV=installs/rebar3-1.x.csv
# The Hex client, served as builds.hex.pm serves it (installs/hex-1.x.csv
# and installs/ELIXIR/hex-VSN.ez), so apps with Hex deps install Hex from the
# index as users' builds do. No Debian package carries it: it is the real
# 2.5.1 archive (built on Elixir 1.18.3) from the shared test data
# (ELIXIR_BP_SHARED, which set-up sets from common.sh's SHARED_DIR),
# checked against its published sha512.
HEX_CSV=installs/hex-1.x.csv
HEX_VERSION=2.5.1 HEX_ELIXIR=1.18.3
HEX_SHA512=70775d7beb26230fb4d3e53c501ad2239e72d597f5df18a33d74ce03c9b59897d22be811fe1b3208380a2417efebf302e19a74941ac2cc87ee25118c89ada71b
HEX_ARCHIVE=${ELIXIR_BP_SHARED:+$ELIXIR_BP_SHARED/hex-phoenix18/archives/hex-$HEX_VERSION.ez}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

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

# The table, read into one array per column, and the files it makes.
G_SUITE=() G_OTP=() G_ELIXIR=() G_REBAR3=() G_OSDIRS=() G_ERLANG_DEB=() G_ELIXIR_DEB=() G_REBAR3_DEB=()
RECIPE="make-index $RECIPE_VERSION:"
WANT=(builds/elixir/builds.txt "$REBAR3_CSV")
# Without the shared test data (a checkout on its own) the index serves no
# Hex: enough for apps with no Hex deps, such as the sample.
if [ -n "$HEX_ARCHIVE" ] && [ -f "$HEX_ARCHIVE" ]; then
  WANT+=("$HEX_CSV" "installs/$HEX_ELIXIR/hex-$HEX_VERSION.ez")
  RECIPE+=" hex $HEX_VERSION $HEX_ELIXIR $HEX_SHA512;"
else
  RECIPE+=" no hex;"
fi
for line in "${GENERATIONS[@]}"; do
  read -r -a f <<<"$line"
  [ ${#f[@]} -eq 8 ] || die "GENERATIONS line without 8 fields: $line"
  G_SUITE+=("${f[0]}") G_OTP+=("${f[1]}") G_ELIXIR+=("${f[2]}") G_REBAR3+=("${f[3]}")
  G_OSDIRS+=("${f[4]}") G_ERLANG_DEB+=("${f[5]}") G_ELIXIR_DEB+=("${f[6]}") G_REBAR3_DEB+=("${f[7]}")
  RECIPE+=" ${f[*]};"
  IFS=, read -r -a dirs <<<"${f[4]}"
  for d in "${dirs[@]}"; do
    WANT+=("builds/otp/$ARCH/$d/OTP-${f[1]}.tar.gz" "builds/otp/$ARCH/$d/builds.txt")
  done
  WANT+=("builds/elixir/v${f[2]}-otp-${f[1]%%.*}.zip" "installs/${f[2]}/rebar3-${f[3]}")
done

complete() {
  [ -f "$OUT/.recipe" ] && [ "$(<"$OUT/.recipe")" = "$RECIPE" ] || return 1
  local w
  for w in "${WANT[@]}"; do [ -f "$OUT/$w" ] || return 1; done
}
complete && exit 0

# One builder at a time per OUTDIR; the one that waited may find it done.
exec 9>"$OUT.lock"
flock 9
complete && exit 0

# Everything is made in a temp dir beside OUTDIR and renamed into place at
# the end, so an interrupted run leaves no half-made index. Leftovers of
# interrupted runs are ours to remove since we hold the lock.
rm -rf "$OUT".tmp.* "$OUT".old.*
TMP=$(mktemp -d "$OUT.tmp.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
WORK=$TMP/.work
CACHE=$(dirname "$OUT")
DEBS=$CACHE/debs
APT_ROOT=$CACHE/apt
mkdir -p "$WORK" "$DEBS"
[ -f "$KEYRING" ] || die "no $KEYRING: install debian-archive-keyring"
# shellcheck source=apt-mirror.sh
source "$(dirname "${BASH_SOURCE[0]}")/apt-mirror.sh"
MIRROR=$(apt_mirror)

# --- A private apt per suite ------------------------------------------------

# apt_use SUITE: APT_OPTS for apt-get and apt-cache to read SUITE's lists in
# APT_ROOT/SUITE (its own sources.list, no dpkg status, no lock), and
# APT_SOURCE, the one line of that sources.list. Only Packages is fetched.
apt_use() {
  local r=$APT_ROOT/$1
  APT_SOURCE="deb [signed-by=$KEYRING target=Packages] $MIRROR $1 main"
  APT_DIR=$r
  APT_OPTS=(-o "Dir::Etc=$r/etc/apt" -o "Dir::State=$r/state" -o "Dir::Cache=$r/cache"
    -o Dir::State::status=/dev/null -o Debug::NoLocking=1)
  # As root, apt would hand downloads to its _apt user, who cannot write to
  # our private dirs: download as ourselves.
  [ "$(id -u)" != 0 ] || APT_OPTS+=(-o APT::Sandbox::User=root)
}

# apt_update SUITE: fetches SUITE's lists; .updated then holds the source
# line they were read from.
apt_update() {
  local r=$APT_DIR
  log "reading Debian $1's package lists"
  rm -f "$r/.updated"
  mkdir -p "$r/etc/apt/sources.list.d" "$r/etc/apt/preferences.d" "$r/state/lists/partial" "$r/cache/archives/partial"
  printf '%s\n' "$APT_SOURCE" >"$r/etc/apt/sources.list"
  apt-get -q "${APT_OPTS[@]}" update >"$r/update.log" 2>&1 || die "apt-get update for $1 failed: see $r/update.log"
  printf '%s\n' "$APT_SOURCE" >"$r/.updated"
}
apt_ready() { [ -f "$APT_DIR/.updated" ] && [ "$(<"$APT_DIR/.updated")" = "$APT_SOURCE" ]; }

# --- Which debs -------------------------------------------------------------

# resolve SUITE ERLANG_PREFIX ELIXIR_PREFIX REBAR3_PREFIX: ERLANG_PKGS, all
# erlang-* packages the elixir deb and the extras pull, recursively
# (non-erlang libraries, libc, libssl, ..., are left to the images), and
# VER, the candidate version of each of them, elixir and rebar3; dies unless
# they are the versions wanted.
resolve() {
  local suite=$1 p v
  mapfile -t ERLANG_PKGS < <(
    apt-cache "${APT_OPTS[@]}" depends --recurse --no-recommends --no-suggests --no-conflicts \
      --no-breaks --no-replaces --no-enhances elixir "${EXTRA_PKGS[@]}" |
      grep -E '^erlang-' | sort -u
  )
  VER=()
  while read -r p v; do VER[$p]=$v; done < <(
    apt-cache "${APT_OPTS[@]}" show --no-all-versions elixir rebar3 "${ERLANG_PKGS[@]}" 2>/dev/null |
      awk '/^Package:/ {p=$2} /^Version:/ {print p, $2}'
  )
  for p in "${EXTRA_PKGS[@]}"; do
    [ -n "${VER[$p]:-}" ] || die "$suite has no package $p"
  done
  [[ ${VER[elixir]:-} == "$3"* ]] || die "$suite offers elixir ${VER[elixir]:-none}, want $3*"
  [[ ${VER[rebar3]:-} == "$4"* ]] || die "$suite offers rebar3 ${VER[rebar3]:-none}, want $4*"
  for p in "${ERLANG_PKGS[@]}"; do
    # They all come from one source package and depend on each other with "=".
    [[ ${VER[$p]:-} == "$2"* && ${VER[$p]} == "${VER[erlang-base]}" ]] ||
      die "$suite offers $p ${VER[$p]:-none}, want ${VER[erlang-base]:-$2*}"
  done
}

# The cached file apt-get download makes for a package (":" is written %3a).
deb_file() { compgen -G "$DEBS/${1}_${VER[$1]//:/%3a}_*.deb" | head -1 || true; }
missing_debs() {
  MISSING=()
  local p
  for p in elixir rebar3 "${ERLANG_PKGS[@]}"; do
    [ -n "$(deb_file "$p")" ] || MISSING+=("$p=${VER[$p]}")
  done
}

# fetch_debs SUITE ERLANG_PREFIX ELIXIR_PREFIX REBAR3_PREFIX: resolve, with
# the debs in DEBS. The lists are read again before a download (the ones
# kept may name debs the mirror no longer has), not when all is cached.
fetch_debs() {
  local fresh=
  apt_use "$1"
  apt_ready || { apt_update "$1" && fresh=yes; }
  resolve "$@"
  missing_debs
  [ ${#MISSING[@]} -gt 0 ] || return 0
  if [ -z "$fresh" ]; then
    apt_update "$1"
    resolve "$@"
    missing_debs
    [ ${#MISSING[@]} -gt 0 ] || return 0
  fi
  log "downloading ${#MISSING[@]} debs of $1 into $DEBS"
  # Into our temp dir first (same filesystem), so the cache never holds a
  # cut-off download.
  local dl=$TMP/.download
  rm -rf "$dl" && mkdir -p "$dl"
  (cd "$dl" && apt-get download -q "${APT_OPTS[@]}" "${MISSING[@]}" >/dev/null) ||
    die "apt-get download from $1 failed"
  mv "$dl"/*.deb "$DEBS"/
  rm -rf "$dl"
}

# --- Helpers ------------------------------------------------------------------

# Latest file mtime in a tree: the Debian build date, a stable timestamp for
# the archives and builds.txt (changes only when the debs change). Files only:
# unpacking several debs into one folder gives its dirs today's date.
tree_epoch() { find "$1" -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1; }
iso_date() { date -u -d "@$1" +%Y-%m-%dT%H:%M:%SZ; }
# A fake git sha, stable for a given recipe and set of debs.
fake_sha() { printf '%s\n' "$RECIPE" "$@" | sha1sum | cut -c1-40; }
sha() { sha256sum "$1" | cut -d' ' -f1; }

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

# make_otp SUITE OTP_VSN OSDIRS: the OTP tarball from the erlang debs
# (ERLANG_PKGS at VER), in each of the comma-separated OS folders, and its
# line in their builds.txt.
make_otp() {
  local suite=$1 vsn=$2 major=${2%%.*} osdirs d f debs=() p
  IFS=, read -r -a osdirs <<<"$3"
  for p in "${ERLANG_PKGS[@]}"; do debs+=("$(deb_file "$p")"); done
  log "making OTP-$vsn from ${#debs[@]} erlang debs of $suite"
  local w=$WORK/$suite
  for d in "${debs[@]}"; do dpkg-deb -x "$d" "$w/erlang-debs"; done
  local otp=$w/OTP-$vsn
  mv "$w/erlang-debs/usr/lib/erlang" "$otp"
  local epoch
  epoch=$(tree_epoch "$otp")
  fix_abs_links "$otp" "$w/erlang-debs"

  local erts
  erts=$(cd "$otp" && echo erts-*)
  [ -x "$otp/$erts/bin/beam.smp" ] || die "unexpected Erlang tree: no $erts/bin/beam.smp"
  [ -f "$otp/releases/$major/OTP_VERSION" ] || die "unexpected Erlang tree: no releases/$major/OTP_VERSION"
  [ "$(<"$otp/releases/$major/OTP_VERSION")" = "$vsn" ] ||
    die "$suite's Erlang is OTP $(<"$otp/releases/$major/OTP_VERSION"), not $vsn"

  # Debian bakes /usr/lib/erlang into these files; anything else having it
  # means the packages changed and this recipe must be looked at again.
  local baked want
  baked=$(cd "$otp" && grep -rlI /usr/lib/erlang . | sort | tr '\n' ' ')
  want=$(printf '%s\n' ./bin/erl ./bin/start "./$erts/bin/erl" "./$erts/bin/start" ./releases/RELEASES | sort | tr '\n' ' ')
  [ "$baked" = "$want" ] || die "files with /usr/lib/erlang in $suite's Erlang: $baked (expected $want)"

  # Turn them into templates the way OTP's own release does (erl.src,
  # start.src, RELEASES.src), for Install to fill in. Debian also replaced
  # the three ROOTDIR choices in erl/start with its path; restore upstream's:
  # the installed path, else where the tree really is, else $ERL_ROOTDIR.
  for f in erl start; do
    awk '
      /^[ \t]*ROOTDIR=\/usr\/lib\/erlang$/ {
        n++; sub(/\/usr\/lib\/erlang$/, n == 1 ? "\"%FINAL_ROOTDIR%\"" : n == 2 ? "\"$dyn_rootdir\"" : "\"$ERL_ROOTDIR\"")
      }
      { print }
      END { if (n != 3) exit 3 }
    ' "$otp/$erts/bin/$f" >"$otp/$erts/bin/$f.src" || die "unexpected ROOTDIR lines in $suite's $erts/bin/$f"
    ! grep -q /usr/lib/erlang "$otp/$erts/bin/$f.src" || die "$suite's $erts/bin/$f still has /usr/lib/erlang"
    rm -f "$otp/$erts/bin/$f" "$otp/bin/$f"
  done
  sed 's;/usr/lib/erlang;%ERL_ROOT%;g' "$otp/releases/RELEASES" >"$otp/releases/RELEASES.src"
  rm -f "$otp/releases/RELEASES"

  # OTP's Install, for this tree: "ROOTDIR/Install -minimal ROOTDIR".
  sed -e "s/@ERTS_VSN@/${erts#erts-}/" -e "s/@OTP_MAJOR@/$major/" >"$otp/Install" <<'EOF'
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
  chmod 755 "$otp/Install"
  # Fill the templates with Debian's path, so the tarball also works
  # unpacked without Install (erl then finds its real place itself).
  sh "$otp/Install" -minimal -cross /usr/lib/erlang

  # Permissions as dpkg would leave them, whatever our umask.
  chmod -R u+rwX,go+rX,go-w "$otp"
  local first=$TMP/builds/otp/$ARCH/${osdirs[0]} tgz=OTP-$vsn.tar.gz line
  mkdir -p "$first"
  tar -C "$w" --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner \
    --format=gnu -cf - "OTP-$vsn" | gzip -9n >"$first/$tgz"
  line="OTP-$vsn $(fake_sha "${debs[@]##*/}") $(iso_date "$epoch") $(sha "$first/$tgz")"
  for d in "${osdirs[@]}"; do
    mkdir -p "$TMP/builds/otp/$ARCH/$d"
    # The very same file in the other folders (the index is one tree, so a
    # hard link: served and copied as a plain file).
    [ -f "$TMP/builds/otp/$ARCH/$d/$tgz" ] || ln "$first/$tgz" "$TMP/builds/otp/$ARCH/$d/$tgz"
    printf '%s\n' "$line" >>"$TMP/builds/otp/$ARCH/$d/builds.txt"
  done
}

# --- Elixir zip ---------------------------------------------------------------

# make_elixir SUITE ELIXIR_VSN OTP_MAJOR: the Elixir zip from the elixir deb,
# and its line in builds/elixir/builds.txt.
make_elixir() {
  local suite=$1 vsn=$2 name=v$2-otp-$3 deb f
  deb=$(deb_file elixir)
  log "making $name from ${deb##*/}"
  local w=$WORK/$suite
  dpkg-deb -x "$deb" "$w/elixir-deb"
  local ex=$w/elixir
  mv "$w/elixir-deb/usr/lib/elixir" "$ex"
  local epoch
  epoch=$(tree_epoch "$ex")
  fix_abs_links "$ex" "$w/elixir-deb"
  for f in elixir elixirc iex mix; do
    [ -f "$ex/bin/$f" ] || die "$suite's elixir deb has no bin/$f"
    [ -x "$ex/bin/$f" ] || die "$suite's elixir deb has no executable bin/$f"
  done
  [ -f "$ex/lib/elixir/ebin/elixir.app" ] || die "$suite's elixir deb has no lib/elixir/ebin/elixir.app"
  grep -q "{vsn,\"$vsn\"}" "$ex/lib/elixir/ebin/elixir.app" || die "$suite's elixir deb is not Elixir $vsn"
  # As in the upstream zips; some tools read it.
  echo "$vsn" >"$ex/VERSION"
  chmod -R u+rwX,go+rX,go-w "$ex"

  local zip=$TMP/builds/elixir/$name.zip
  # A zip with sorted entries and fixed timestamps, modes kept in the
  # external attributes (so unzip restores the executable bits). zip(1) may
  # be missing.
  python3 - "$ex" "$zip" "$epoch" <<'EOF'
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
  printf '%s %s %s %s\n' "$name" "$(fake_sha "${deb##*/}")" "$(iso_date "$epoch")" "$(sha "$zip")" \
    >>"$TMP/builds/elixir/builds.txt"
}

# --- rebar3 -------------------------------------------------------------------

# add_rebar3 SUITE REBAR3_VSN ELIXIR_VSN: rebar3 from Debian's deb (a
# self-contained escript) for that Elixir, and its line in the CSV.
add_rebar3() {
  local suite=$1 vsn=$2 elixir=$3 deb
  deb=$(deb_file rebar3)
  log "adding rebar3 $vsn for Elixir $elixir from ${deb##*/}"
  local w=$WORK/$suite
  dpkg-deb -x "$deb" "$w/rebar3-deb"
  local escript=$w/rebar3-deb/usr/bin/rebar3 file=installs/$elixir/rebar3-$vsn
  [ "$(head -c 22 "$escript")" = '#!/usr/bin/env escript' ] || die "$suite's rebar3 deb has no escript in usr/bin/rebar3"
  mkdir -p "$TMP/installs/$elixir"
  cp "$escript" "$TMP/$file"
  chmod 755 "$TMP/$file"
  printf '%s,%s,%s\n' "$vsn" "$(sha512sum "$TMP/$file" | cut -d' ' -f1)" "$elixir" >>"$TMP/$REBAR3_CSV"
}

# --- Hex ----------------------------------------------------------------------

# add_hex: the Hex archive for HEX_ELIXIR and its line in the CSV.
add_hex() {
  local file=installs/$HEX_ELIXIR/hex-$HEX_VERSION.ez
  if [ -z "$HEX_ARCHIVE" ] || [ ! -f "$HEX_ARCHIVE" ]; then
    log "no Hex archive at ${HEX_ARCHIVE:-ELIXIR_BP_SHARED (unset)} (the shared test data beside the checkout, or ELIXIR_BP_SHARED): the index serves no Hex, so apps with Hex deps need an index that does"
    return 0
  fi
  [ "$(sha512sum "$HEX_ARCHIVE" | cut -d' ' -f1)" = "$HEX_SHA512" ] || die "$HEX_ARCHIVE is not Hex $HEX_VERSION: its sha512 differs from the published one"
  log "adding Hex $HEX_VERSION for Elixir $HEX_ELIXIR from ${HEX_ARCHIVE}"
  mkdir -p "$TMP/installs/$HEX_ELIXIR"
  cp "$HEX_ARCHIVE" "$TMP/$file"
  chmod 644 "$TMP/$file"
  printf '%s,%s,%s\n' "$HEX_VERSION" "$HEX_SHA512" "$HEX_ELIXIR" >"$TMP/$HEX_CSV"
}

# --- Each generation ----------------------------------------------------------

declare -A VER=()
for i in "${!G_SUITE[@]}"; do
  suite=${G_SUITE[i]}
  fetch_debs "$suite" "${G_ERLANG_DEB[i]}" "${G_ELIXIR_DEB[i]}" "${G_REBAR3_DEB[i]}"
  mkdir -p "$WORK/$suite" "$TMP/builds/elixir" "$TMP/installs"
  make_otp "$suite" "${G_OTP[i]}" "${G_OSDIRS[i]}"
  make_elixir "$suite" "${G_ELIXIR[i]}" "${G_OTP[i]%%.*}"
  add_rebar3 "$suite" "${G_REBAR3[i]}" "${G_ELIXIR[i]}"
  rm -rf "${WORK:?}/$suite"
done

add_hex

# --- Stamp, rename ------------------------------------------------------------

rm -rf "$WORK"
chmod -R go+rX "$TMP/installs"
chmod 755 "$TMP" # mktemp made it private; the index is served to others
# Written last: it marks the index complete.
echo "$RECIPE" >"$TMP/.recipe"
if [ -e "$OUT" ]; then mv "$OUT" "$OUT.old.$$"; fi
mv "$TMP" "$OUT"
rm -rf "$OUT.old.$$"
log "index ready in $OUT"
