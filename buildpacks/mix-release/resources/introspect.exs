# Reports what the mix-release buildpack needs to know about a Mix project,
# as Mix itself sees it: the project is loaded the way Mix loads it (mix.exs
# evaluated with MIX_ENV and MIX_TARGET honoured), but nothing is compiled,
# no config file is evaluated and no dependency is fetched, so it runs before
# `mix deps.get` and on a project whose deps are not there yet.
#
#   cd PROJECT_ROOT && elixir introspect.exs OUTPUT_FILE
#
# It writes one JSON object to OUTPUT_FILE (not stdout: mix.exs may print).
# Elixir 1.14 has no JSON module, hence the small encoder below.
defmodule ElixirBuildpacks.Introspect do
  @moduledoc false

  def main([out]) do
    Mix.start()
    report = Mix.Project.in_project(:elixir_buildpacks_root, ".", fn _ -> project() end)
    File.write!(out, encode(report) <> "\n")
  end

  def main(_) do
    IO.puts(:stderr, "usage: elixir introspect.exs OUTPUT_FILE")
    System.halt(2)
  end

  defp project do
    config = Mix.Project.config()
    umbrella? = Mix.Project.umbrella?()
    apps_paths = if umbrella?, do: Mix.Project.apps_paths() || %{}, else: %{}

    apps =
      apps_paths
      |> Enum.sort()
      |> Enum.map(fn {app, path} ->
        Mix.Project.in_project(app, path, fn _ ->
          child = Mix.Project.config()
          deps = declared(child, path)
          %{name: app, path: path, aliases: alias_names(child), deps: deps, phoenix: Enum.any?(deps, &(&1.name == "phoenix"))}
        end)
      end)

    lock = Mix.Dep.Lock.read()
    deps_path = Mix.Project.deps_path(config)
    umbrella_apps = Enum.map(apps, &to_string(&1.name))

    declared =
      (declared(config, ".") ++ Enum.flat_map(apps, & &1.deps))
      |> Enum.reject(&(&1.in_umbrella or &1.name in umbrella_apps))
      |> path_children(MapSet.new())

    deps = merge(declared, lock, deps_path)

    %{
      app: config[:app],
      version: config[:version],
      umbrella: umbrella?,
      apps: Enum.map(apps, &Map.delete(&1, :deps)),
      releases: release_names(config[:releases]),
      default_release: config[:default_release],
      aliases: alias_names(config),
      deps: deps,
      phoenix: Enum.any?(deps, &(&1.name == "phoenix")),
      lockfile: Path.relative_to_cwd(config[:lockfile] || "mix.lock"),
      mix_env: to_string(Mix.env()),
      mix_target: to_string(Mix.target())
    }
  end

  defp release_names(releases) when is_list(releases), do: Enum.map(releases, fn {name, _} -> name end)
  defp release_names(_), do: []

  defp alias_names(config), do: config |> Keyword.get(:aliases, []) |> Enum.map(fn {name, _} -> name end)

  # The deps a mix.exs declares, whatever their :only/:targets (the buildpack
  # only wants to know which tools they need).
  defp declared(config, dir) do
    config
    |> Keyword.get(:deps, [])
    |> Enum.flat_map(&dep(&1, dir))
  end

  defp dep({app, opts}, dir) when is_list(opts), do: dep({app, nil, opts}, dir)
  defp dep({app, _req}, dir), do: dep({app, nil, []}, dir)

  defp dep({app, _req, opts}, dir) when is_atom(app) and is_list(opts) do
    scm =
      cond do
        opts[:in_umbrella] -> "path"
        opts[:path] -> "path"
        opts[:git] || opts[:github] -> "git"
        true -> "hex"
      end

    path = if opts[:path], do: Path.relative_to_cwd(Path.expand(opts[:path], dir))

    [
      %{
        name: to_string(app),
        scm: scm,
        manager: opts[:manager] && to_string(opts[:manager]),
        path: path,
        in_umbrella: opts[:in_umbrella] == true
      }
    ]
  end

  defp dep(_other, _dir), do: []

  # Path deps inside the tree declare deps of their own; their lock entries
  # are in the project's mix.lock, but their SCM is only known from mix.exs.
  defp path_children(deps, seen) do
    Enum.flat_map(deps, fn dep ->
      cond do
        dep.scm != "path" or dep.path == nil or MapSet.member?(seen, dep.path) ->
          [dep]

        File.regular?(Path.join(dep.path, "mix.exs")) ->
          children =
            Mix.Project.in_project(String.to_atom(dep.name), dep.path, fn _ ->
              declared(Mix.Project.config(), ".")
              |> Enum.map(fn child ->
                if child.path, do: %{child | path: Path.relative_to_cwd(Path.expand(child.path, dep.path))}, else: child
              end)
            end)

          [dep | path_children(children, MapSet.put(seen, dep.path))]

        true ->
          [dep]
      end
    end)
  end

  defp merge(declared, lock, deps_path) do
    from_lock =
      Enum.map(lock, fn {app, entry} ->
        name = to_string(app)

        case entry do
          {:hex, _pkg, _vsn, _sha, managers, _deps, _repo, _outer} ->
            %{name: name, scm: "hex", manager: lock_manager(managers), path: nil, in_umbrella: false}

          {:hex, _pkg, _vsn, _sha, managers, _deps, _repo} ->
            %{name: name, scm: "hex", manager: lock_manager(managers), path: nil, in_umbrella: false}

          {:git, _url, _rev, _opts} ->
            %{name: name, scm: "git", manager: nil, path: nil, in_umbrella: false}

          _ ->
            %{name: name, scm: to_string(elem(entry, 0)), manager: nil, path: nil, in_umbrella: false}
        end
      end)

    (declared ++ from_lock)
    |> Enum.group_by(& &1.name)
    |> Enum.sort()
    |> Enum.map(fn {name, [first | _] = all} ->
      dest = first.path || Path.relative_to_cwd(Path.join(deps_path, name))
      manager = Enum.find_value(all, & &1.manager) || manager_from_files(dest)

      %{
        name: name,
        scm: first.scm,
        manager: manager,
        path: first.path,
        fetched: File.dir?(dest),
        in_lock: Enum.any?(from_lock, &(&1.name == name))
      }
    end)
  end

  # Mix's own preference when a Hex package ships several build files.
  defp lock_manager(managers) when is_list(managers) do
    Enum.find([:mix, :rebar3, :make], &(&1 in managers)) |> then(&(&1 && to_string(&1)))
  end

  defp lock_manager(_), do: nil

  # The files Mix looks for to pick the build tool of a fetched dependency.
  defp manager_from_files(dest) do
    cond do
      File.regular?(Path.join(dest, "mix.exs")) -> "mix"
      Enum.any?(~w(rebar.config rebar.config.script rebar.lock), &File.regular?(Path.join(dest, &1))) -> "rebar3"
      File.regular?(Path.join(dest, "Makefile")) -> "make"
      true -> nil
    end
  end

  # A JSON encoder for the terms above: maps, lists, strings, atoms, numbers.
  defp encode(nil), do: "null"
  defp encode(true), do: "true"
  defp encode(false), do: "false"
  defp encode(n) when is_number(n), do: to_string(n)
  defp encode(a) when is_atom(a), do: encode(Atom.to_string(a))
  defp encode(s) when is_binary(s), do: [?", escape(s), ?"] |> IO.iodata_to_binary()
  defp encode(l) when is_list(l), do: "[" <> Enum.map_join(l, ",", &encode/1) <> "]"

  defp encode(m) when is_map(m) do
    "{" <> Enum.map_join(Enum.sort(m), ",", fn {k, v} -> encode(to_string(k)) <> ":" <> encode(v) end) <> "}"
  end

  defp encode(other), do: encode(inspect(other))

  defp escape(s) do
    for <<c::utf8 <- s>>, into: "" do
      case c do
        ?" -> "\\\""
        ?\\ -> "\\\\"
        ?\n -> "\\n"
        ?\r -> "\\r"
        ?\t -> "\\t"
        c when c < 0x20 -> "\\u" <> String.pad_leading(Integer.to_string(c, 16), 4, "0")
        c -> <<c::utf8>>
      end
    end
  end
end

ElixirBuildpacks.Introspect.main(System.argv())
