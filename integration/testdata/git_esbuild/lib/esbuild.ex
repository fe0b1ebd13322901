defmodule Esbuild do
  @moduledoc "Runs the esbuild binary for a configured profile."

  def configured_version, do: Application.get_env(:esbuild, :version, "0.17.11")

  # As the package: config :esbuild, :path, else next to the build path
  # (a generated config names no path; an app may read MIX_ESBUILD_PATH
  # there, as the package's docs advise for Nix).
  def bin_path do
    Application.get_env(:esbuild, :path) ||
      Path.join(Path.dirname(Mix.Project.build_path()), "esbuild-linux-x64")
  end

  def install_url do
    v = configured_version()
    "https://registry.npmjs.org/@esbuild/linux-x64/-/linux-x64-#{v}.tgz"
  end

  def run(profile, extra_args) do
    config = Application.get_env(:esbuild, String.to_atom(profile)) || Mix.raise("unknown esbuild profile #{profile}")
    args = (config[:args] || []) ++ extra_args
    # As the esbuild package does: a list-valued variable (Phoenix 1.8's
    # NODE_PATH of deps and the build path) is joined with the separator.
    env = Map.new(config[:env] || %{}, fn {k, v} -> {k, if(is_list(v), do: Enum.join(v, ":"), else: v)} end)
    opts = [cd: config[:cd] || File.cwd!(), env: env, into: IO.stream(:stdio, :line), stderr_to_stdout: true]
    {_, status} = System.cmd(bin_path(), args, opts)
    status
  end
end
