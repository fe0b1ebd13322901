defmodule Hello.MixProject do
  use Mix.Project

  # The shape `mix phx.new hello --no-ecto` (Phoenix 1.7)
  # generates, with `mix phx.gen.release`'s overlays. Hex is unreachable
  # here, so phoenix, phoenix_html, phoenix_live_view, esbuild, tailwind
  # and heroicons are stand-ins served as git repositories by a git daemon on
  # 127.0.0.1 (GIT_DEPS_BASE, set by the integration test, which also
  # writes mix.lock); each keeps the files the build reads where the real
  # package has them.
  @git System.get_env("GIT_DEPS_BASE", "git://127.0.0.1:9418")

  def project do
    [
      app: :hello,
      version: "0.1.0",
      elixir: "~> 1.14",
      elixirc_paths: elixirc_paths(Mix.env()),
      start_permanent: Mix.env() == :prod,
      aliases: aliases(),
      deps: deps()
    ]
  end

  def application do
    [
      mod: {Hello.Application, []},
      extra_applications: [:logger, :runtime_tools, :inets]
    ]
  end

  defp elixirc_paths(:test), do: ["lib", "test/support"]
  defp elixirc_paths(_), do: ["lib"]

  defp deps do
    [
      {:phoenix, git: "#{@git}/phoenix.git"},
      {:phoenix_html, git: "#{@git}/phoenix_html.git"},
      {:phoenix_live_view, git: "#{@git}/phoenix_live_view.git"},
      {:esbuild, git: "#{@git}/esbuild.git", runtime: Mix.env() == :dev},
      {:tailwind, git: "#{@git}/tailwind.git", runtime: Mix.env() == :dev},
      {:heroicons,
       git: "#{@git}/heroicons.git", sparse: "optimized", app: false, compile: false}
    ]
  end

  defp aliases do
    [
      setup: ["deps.get", "assets.setup", "assets.build"],
      "assets.setup": ["tailwind.install --if-missing", "esbuild.install --if-missing"],
      "assets.build": ["tailwind hello", "esbuild hello"],
      "assets.deploy": ["tailwind hello --minify", "esbuild hello --minify", "phx.digest"]
    ]
  end
end
