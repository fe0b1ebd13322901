#!/usr/bin/env bash
# Generates the benchmark's larger app: an :inets release like the sample,
# with MODULES modules of its own and DEPS path deps of DEP_MODULES modules
# each (no Hex packages).  gen-app.sh DIR [MODULES] [DEPS] [DEP_MODULES]
set -euo pipefail
dir=$1 modules=${2:-300} deps=${3:-3} dep_modules=${4:-40}
rm -rf "$dir" && mkdir -p "$dir/lib/bench_app" "$dir/config" "$dir/local_deps"

gen_module() { # FILE MODULE N
  cat >"$1" <<EOX
defmodule $2 do
  @moduledoc "Generated module $3 of the benchmark app."
  def id, do: $3
  def double(x) when is_integer(x), do: x * 2 + id()
  def describe(%{name: name} = map), do: "#{name}: #{map_size(map)} keys, #{inspect(Map.keys(map))}"
  def sum(list), do: Enum.reduce(list, 0, fn x, acc -> acc + double(x) end)
end
EOX
}

dep_list=""
for d in $(seq 1 "$deps"); do
  dep=bench_dep$d
  mkdir -p "$dir/local_deps/$dep/lib"
  cat >"$dir/local_deps/$dep/mix.exs" <<EOX
defmodule BenchDep$d.MixProject do
  use Mix.Project
  def project, do: [app: :$dep, version: "0.1.0", elixir: "~> 1.14", deps: []]
  def application, do: [extra_applications: [:logger]]
end
EOX
  for m in $(seq 1 "$dep_modules"); do gen_module "$dir/local_deps/$dep/lib/m$m.ex" "BenchDep$d.M$m" "$m"; done
  dep_list="$dep_list{:$dep, path: \"local_deps/$dep\"}, "
done

cat >"$dir/mix.exs" <<EOX
defmodule BenchApp.MixProject do
  use Mix.Project

  def project do
    [
      app: :bench_app,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: [${dep_list%, }],
      releases: [bench_app: [include_executables_for: [:unix]]]
    ]
  end

  def application do
    [extra_applications: [:logger, :inets], mod: {BenchApp.Application, []}]
  end
end
EOX
echo 'import Config' >"$dir/config/runtime.exs"
for m in $(seq 1 "$modules"); do gen_module "$dir/lib/bench_app/m$m.ex" "BenchApp.M$m" "$m"; done

cat >"$dir/lib/bench_app/application.ex" <<'EOX'
defmodule BenchApp.Application do
  @moduledoc "Serves HTTP on $PORT with OTP's :inets."
  use Application

  @impl true
  def start(_type, _args) do
    port = "PORT" |> System.get_env("8080") |> String.to_integer()
    tmp = System.tmp_dir!() |> String.to_charlist()
    {:ok, _} =
      :inets.start(:httpd,
        port: port, bind_address: :any, server_name: ~c"bench", server_root: tmp,
        document_root: tmp, modules: [BenchApp.Handler]
      )
    Supervisor.start_link([], strategy: :one_for_one, name: BenchApp.Supervisor)
  end
end
EOX
cat >"$dir/lib/bench_app/handler.ex" <<'EOX'
defmodule BenchApp.Handler do
  @moduledoc "Answers every request."
  def unquote(:do)(_mod_data) do
    body = "bench_app #{BenchApp.M1.id()}\n"
    {:proceed, [{:response, {200, String.to_charlist(body)}}]}
  end
end
EOX
