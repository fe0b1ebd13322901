#!/usr/bin/env bash
# Benchmarks our builder against the multi-stage Dockerfile that
# `mix phx.gen.release --docker` writes, side by side on this machine: the
# same apps, the same base images, the same Erlang and Elixir (from the local
# index), alternating the two in every run. Ours is timed as users run it,
# through scripts/pack-build.sh (set-up check, index check, pack), and, from
# pack's own --timestamps lines in the same build, pack alone. Prints the
# table of medians and ratios and writes it into docs/benchmarks.md.
#   scripts/bench.sh            (BENCH_RUNS=3, BENCH_APPS="sample generated large phoenix")
set -euo pipefail
source "$(dirname "$0")/lib/common.sh"
source "$REPO_ROOT/scripts/lib/index.sh"

runs=${BENCH_RUNS:-3}
apps=${BENCH_APPS:-sample generated large phoenix}
# Both sides build with the newest toolchain the test index has for the
# default stack (Debian 13): what an app asking for no version gets.
otp=${BENCH_OTP:-27.3.4.1} elixir=${BENCH_ELIXIR:-1.18.3} otp_major=${otp%%.*} os_dir=${BENCH_OS_DIR:-ubuntu-24.04}
out_doc=${BENCH_OUT:-$REPO_ROOT/docs/benchmarks.md}

bash "$REPO_ROOT/scripts/setup.sh"
ensure_engine
ensure_index_server
index=$(index_url)

work=$(mktemp -d /tmp/elixir-bp-bench.XXXXXX)
volumes_before=$(engine volume ls -q | sort)
bench_images=()
git_daemon=
cleanup() {
  [ -z "$git_daemon" ] || kill "$git_daemon" 2>/dev/null || true
  for i in "${bench_images[@]}"; do engine rmi -f "$i" >/dev/null 2>&1 || true; done
  for v in $(comm -13 <(echo "$volumes_before") <(engine volume ls -q | sort)); do
    engine volume rm -f "$v" >/dev/null 2>&1 || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/benchtool" "$REPO_ROOT/scripts/benchtool"

# The baseline is built as its users build it on each engine: on Docker with
# BuildKit (docker buildx, or the BuildKit built into Debian's Docker 20.10
# CLI with DOCKER_BUILDKIT=1; a newer CLI without buildx falls back to the
# legacy builder, and the table says so), on podman with podman build.
engine_kind=$(engine_name)
if [ "$engine_kind" = podman ]; then
  baseline_cli=(podman build)
  baseline_desc="\`podman build\` ($(podman --version | awk '{print $3}'))"
elif docker buildx version >/dev/null 2>&1; then
  baseline_cli=(docker buildx build --load)
  baseline_desc="\`docker buildx build\` (BuildKit)"
elif debian_cli=$(/usr/bin/docker version --format '{{.Client.Version}}' 2>/dev/null) && [[ $debian_cli == 20.* ]]; then
  baseline_cli=(env DOCKER_BUILDKIT=1 /usr/bin/docker build)
  baseline_desc="\`docker build\` with BuildKit (Debian's Docker $debian_cli CLI, DOCKER_BUILDKIT=1)"
else
  baseline_cli=(env DOCKER_BUILDKIT=0 docker build)
  baseline_desc="\`docker build\`, legacy builder (this docker CLI has no BuildKit: no buildx)"
fi
engine_version=$(engine version --format '{{.Server.Version}}' 2>/dev/null || echo unknown)
log "engine: $engine_kind $engine_version; baseline built with ${baseline_cli[*]}"

# The baseline's toolchain image stands in for hexpm/elixir: made once, untimed.
toolchain=elixir-buildpacks-bench/toolchain:$STACK_SUITE-otp-$otp-elixir-$elixir
if ! image_exists "$toolchain"; then
  log "making the baseline's toolchain image $toolchain"
  engine build --network host --build-arg "BUILD_IMAGE=$BUILD_IMAGE" --build-arg "INDEX_URL=$index" \
    --build-arg "OTP_VERSION=$otp" --build-arg "ELIXIR_VERSION=$elixir" --build-arg "OTP_MAJOR=$otp_major" --build-arg "OS_DIR=$os_dir" \
    -f "$REPO_ROOT/scripts/bench/toolchain.Dockerfile" -t "$toolchain" "$REPO_ROOT/scripts/bench" >"$work/toolchain.log" 2>&1 ||
    { cat "$work/toolchain.log" >&2; die "making the baseline's toolchain image failed"; }
fi

# The Phoenix app is the integration suite's Phoenix 1.7 fixture (the files
# mix phx.new and mix phx.gen.release generate, with tailwind and esbuild):
# its git deps served by a git daemon on 127.0.0.1, the real esbuild and
# standalone tailwind given to ours through a phoenix-assets binding and
# to the baseline through its toolchain image.
phoenix_deps="esbuild heroicons phoenix phoenix_html phoenix_live_view tailwind"
if [[ " $apps " == *" phoenix "* ]]; then
  source "$REPO_ROOT/scripts/lib/asset-tools.sh"
  ensure_esbuild
  ensure_tailwind
  git_env=(env GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@127.0.0.1 GIT_COMMITTER_NAME=bench
    GIT_COMMITTER_EMAIL=bench@127.0.0.1 GIT_CONFIG_NOSYSTEM=1 HOME="$work")
  lock="%{"
  for dep in $phoenix_deps; do
    cp -a "$REPO_ROOT/integration/testdata/git_$dep" "$work/git-$dep"
    (cd "$work/git-$dep" && "${git_env[@]}" git init -q && "${git_env[@]}" git add -A && "${git_env[@]}" git commit -q -m "$dep") ||
      die "making the $dep git repository failed"
    "${git_env[@]}" git clone -q --bare "$work/git-$dep" "$work/repos/$dep.git"
    opts="[]"
    [ "$dep" = heroicons ] && opts='[sparse: "optimized"]'
    lock="$lock\n  \"$dep\": {:git, \"GIT_BASE/$dep.git\", \"$(git -C "$work/git-$dep" rev-parse HEAD)\", $opts},"
  done
  git_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  git_base=git://127.0.0.1:$git_port
  "${git_env[@]}" git daemon --reuseaddr --export-all --listen=127.0.0.1 --port="$git_port" \
    --base-path="$work/repos" "$work/repos" >"$work/git-daemon.log" 2>&1 &
  git_daemon=$!
  for _ in $(seq 50); do git ls-remote "$git_base/phoenix.git" >/dev/null 2>&1 && break; sleep 0.1; done
  git ls-remote "$git_base/phoenix.git" >/dev/null 2>&1 || die "the git daemon does not answer on $git_base"
  printf '%b\n}\n' "${lock//GIT_BASE/$git_base}" >"$work/phoenix.lock"
  binding=$work/binding
  mkdir -p "$binding" && echo phoenix-assets >"$binding/type"
  cp "$ESBUILD_BIN" "$binding/esbuild" && cp "$TAILWIND_BIN" "$binding/tailwind"
  toolchain_phx=$toolchain-phoenix-tools
  if ! image_exists "$toolchain_phx"; then
    log "adding the asset tools to the baseline's toolchain: $toolchain_phx"
    mkdir -p "$work/tools-context"
    cp "$ESBUILD_BIN" "$work/tools-context/esbuild-linux-x64" && cp "$TAILWIND_BIN" "$work/tools-context/tailwind-linux-x64"
    engine build --build-arg "TOOLCHAIN_IMAGE=$toolchain" -f "$REPO_ROOT/scripts/bench/phoenix-tools.Dockerfile" \
      -t "$toolchain_phx" "$work/tools-context" >"$work/toolchain.log" 2>&1 ||
      { cat "$work/toolchain.log" >&2; die "making $toolchain_phx failed"; }
  fi
fi
secret_key_base=$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')

# Source of each app, and the file and line a one-line change edits.
prepare_source() { # APP DIR
  case $1 in
    sample) cp -a "$REPO_ROOT/samples/hello" "$2" ;;
    generated) bash "$REPO_ROOT/scripts/bench/gen-app.sh" "$2" 300 3 40 ;;
    large) bash "$REPO_ROOT/scripts/bench/gen-app.sh" "$2" 700 4 50 ;;
    phoenix) cp -a "$REPO_ROOT/integration/testdata/phoenix_generated" "$2" && cp "$work/phoenix.lock" "$2/mix.lock" ;;
  esac
  # Pinned to the baseline's toolchain, so both sides build with the same.
  printf 'erlang %s\nelixir %s-otp-%s\n' "$otp" "$elixir" "$otp_major" >"$2/.tool-versions"
  # The baseline Dockerfile copies these; the apps need not have them.
  mkdir -p "$2/local_deps" "$2/priv"
}
release_name() { case $1 in sample | phoenix) echo hello ;; *) echo bench_app ;; esac; }
change_file() { case $1 in sample) echo lib/hello/handler.ex ;; phoenix) echo lib/hello.ex ;; *) echo lib/bench_app/handler.ex ;; esac; }
# mark_source APP DIR TOKEN puts a token no earlier build saw into the file
# the change edits; change_source APP DIR TOKEN is the one-line change.
mark_source() {
  case $1 in
    phoenix) sed -i "s/^defmodule Hello do$/defmodule Hello do\n  def token, do: \"$3\"/" "$2/$(change_file "$1")" ;;
    *) sed -i "s/body = \"/body = \"$3: /" "$2/$(change_file "$1")" ;;
  esac
  grep -q "$3" "$2/$(change_file "$1")" || die "could not mark $(change_file "$1") of $1"
}
change_source() { sed -i "s/$3/$3 changed/" "$2/$(change_file "$1")"; }

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }

build() { # TOOL APP DIR IMAGE [cold]
  local tool=$1 app=$2 dir=$3 image=$4 cold=${5:-}
  local extra=()
  if [ "$app" = phoenix ]; then
    extra=(-e "GIT_DEPS_BASE=$git_base" --volume "$binding:/platform/bindings/assets:ro")
  fi
  if [ "$tool" = ours ]; then
    # The user's command; --timestamps stamps pack's lines, for pack alone.
    bash "$REPO_ROOT/scripts/pack-build.sh" "$dir" "$image" --timestamps "${extra[@]}" ${cold:+--clear-cache} | tee "$work/last.log"
  elif [ "$app" = phoenix ]; then
    "${baseline_cli[@]}" --network host ${cold:+--no-cache} -f "$REPO_ROOT/scripts/bench/phoenix.Dockerfile" \
      --build-arg "TOOLCHAIN_IMAGE=$toolchain_phx" --build-arg "RUNNER_IMAGE=$BASE_IMAGE" \
      --build-arg "GIT_DEPS_BASE=$git_base" -t "$image" "$dir"
  else
    "${baseline_cli[@]}" --network host ${cold:+--no-cache} -f "$REPO_ROOT/scripts/bench/app.Dockerfile" \
      --build-arg "TOOLCHAIN_IMAGE=$toolchain" --build-arg "RUNNER_IMAGE=$BASE_IMAGE" \
      --build-arg "RELEASE_NAME=$(release_name "$app")" -t "$image" "$dir"
  fi
}

results=$work/results.tsv
record() { printf '%s %s %s %s %s\n' "$1" "$2" "$3" "$4" "$5" >>"$results"; }

# timed_build TOOL APP DIR IMAGE FIGURE RUN [cold]: records the build's
# seconds, and for ours also pack's own span as tool "pack".
timed_build() {
  local tool=$1 app=$2 dir=$3 image=$4 figure=$5 run=$6 cold=${7:-} start seconds
  start=$(now)
  build "$tool" "$app" "$dir" "$image" $cold >>"$work/build.log" 2>&1 || { tail -30 "$work/build.log" >&2; die "$tool build of $app failed"; }
  seconds=$(elapsed "$start")
  record "$app" "$tool" "$figure" "$run" "$seconds"
  if [ "$tool" = ours ]; then
    record "$app" pack "$figure" "$run" "$("$work/benchtool" packspan "$work/last.log")"
  fi
}

for run in $(seq 1 "$runs"); do
  for app in $apps; do
    # Alternate who goes first, so neither always meets a warmer machine.
    if [ $((run % 2)) -eq 1 ]; then order="ours baseline"; else order="baseline ours"; fi
    for tool in $order; do
      log "run $run/$runs: $app with $tool"
      dir=$work/src/$tool-$app
      rm -rf "$dir" && mkdir -p "$work/src" && prepare_source "$app" "$dir"
      # A token no earlier build saw, so no layer cache of another run or
      # benchmark (podman keeps them all) stands in for this run's builds.
      token=bench-$(date +%s%N)
      mark_source "$app" "$dir" "$token"
      image=elixir-bp-bench-$tool-$app
      bench_images+=("$image" "$image:before")
      engine rmi -f "$image" >/dev/null 2>&1 || true

      timed_build "$tool" "$app" "$dir" "$image" cold "$run" cold
      record "$app" "$tool" size "$run" "$(engine image inspect --format '{{.Size}}' "$image")"
      record "$app" "$tool" ttfr "$run" "$("$work/benchtool" ttfr "$image" -e "SECRET_KEY_BASE=$secret_key_base")"
      # The no-change rebuild comes before the change, and its image is what
      # the change is compared with: podman keeps the cached layers of every
      # earlier --no-cache build and may pick another one than the cold
      # build's, which would count the baseline's unchanged apt layer as
      # replaced.
      timed_build "$tool" "$app" "$dir" "$image" nochange "$run"
      engine tag "$image" "$image:before"

      # One line of the app's own source changes.
      change_source "$app" "$dir" "$token"
      timed_build "$tool" "$app" "$dir" "$image" change "$run"
      record "$app" "$tool" replaced "$run" "$("$work/benchtool" replaced "$image:before" "$image")"
      engine rmi -f "$image:before" >/dev/null 2>&1 || true
    done
  done
done

table=$("$work/benchtool" report "$results")
load=$(cut -d' ' -f1-3 /proc/loadavg)
section=$work/section.md
{
  echo "Our builder against the multi-stage Dockerfile of \`mix phx.gen.release --docker\`"
  echo "(\`scripts/bench/app.Dockerfile\`), built side by side by \`scripts/bench.sh\` on the same"
  echo "Debian $STACK_DISTRO_VERSION ($STACK_SUITE) base image with the same Erlang $otp and Elixir $elixir from the local"
  echo "index, alternating which goes first. Ours is timed through the user's command,"
  echo "\`scripts/pack-build.sh\` (its set-up and index checks, then pack), and as pack alone (from the"
  echo "first to the last line pack stamps with \`--timestamps\` in the same build). Medians of $runs runs;"
  echo "ratios are ours/baseline (below 1 is better for us). Absolute seconds vary with the machine;"
  echo "the ratios are the figures to compare."
  echo
  echo "- Engine: $engine_kind $engine_version; the baseline built with $baseline_desc"
  echo "- Measured: $(date -u +%Y-%m-%d) on $(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, commit $(git -C "$REPO_ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown); load average (1, 5, 15 min) at the end: $load"
  echo "- Apps: \`sample\` is samples/hello; \`generated\` is scripts/bench/gen-app.sh (300 modules, 3 path deps of 40 modules);"
  echo "  \`large\` is the same generator with 700 modules and 4 path deps of 50 modules"
  echo "- Cold: no cache (\`--clear-cache\` on a removed image; \`--no-cache\` for the baseline). The baseline's"
  echo "  toolchain image (standing in for hexpm/elixir) is made beforehand, as it would be pulled."
  echo "- One-line change: one line of the app's HTTP handler. Bytes replaced: the uncompressed size of the"
  echo "  image layers the change made new, against the no-change rebuild just before it. First HTTP 200:"
  echo "  from \`$engine_kind run\` to the first answer. Each run's source carries a fresh token, so no build"
  echo "  reuses layers cached by another run."
  echo "$table"
} >"$section"
# Only the part between the markers is this script's; the rest of the
# document (the phase breakdown) is kept.
# Each engine has its own part, so a run on one keeps the other's table.
start="<!-- bench:$engine_kind:start -->" end="<!-- bench:$engine_kind:end -->"
[ -f "$out_doc" ] || printf '# Benchmarks\n' >"$out_doc"
grep -qF "$start" "$out_doc" || printf '\n## On %s\n\n%s\n%s\n' "$engine_kind" "$start" "$end" >>"$out_doc"
awk -v section="$section" -v start="$start" -v end="$end" '
  $0 == start { print; while ((getline line < section) > 0) print line; skip = 1; next }
  $0 == end { skip = 0 }
  !skip { print }
' "$out_doc" >"$work/doc.md" && mv "$work/doc.md" "$out_doc"
echo "$table"
log "wrote $out_doc"
