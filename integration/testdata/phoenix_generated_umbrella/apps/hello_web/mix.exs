defmodule HelloWeb.MixProject do
  use Mix.Project

  @git System.get_env("GIT_DEPS_BASE", "git://127.0.0.1:9418")

  def project do
    [
      app: :hello_web,
      version: "0.1.0",
      build_path: "../../_build",
      config_path: "../../config/config.exs",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      aliases: aliases(),
      deps: deps()
    ]
  end

  def application do
    [mod: {HelloWeb.Application, []}, extra_applications: [:logger, :runtime_tools, :inets]]
  end

  defp deps do
    [
      {:phoenix, git: "#{@git}/phoenix.git"},
      {:phoenix_html, git: "#{@git}/phoenix_html.git"},
      {:phoenix_live_view, git: "#{@git}/phoenix_live_view.git"},
      {:esbuild, git: "#{@git}/esbuild.git", runtime: Mix.env() == :dev},
      {:tailwind, git: "#{@git}/tailwind.git", runtime: Mix.env() == :dev},
      {:heroicons,
       git: "#{@git}/heroicons.git", sparse: "optimized", app: false, compile: false},
      {:hello, in_umbrella: true}
    ]
  end

  defp aliases do
    [
      setup: ["deps.get", "assets.setup", "assets.build"],
      "assets.setup": ["tailwind.install --if-missing", "esbuild.install --if-missing"],
      "assets.build": ["tailwind hello_web", "esbuild hello_web"],
      "assets.deploy": ["tailwind hello_web --minify", "esbuild hello_web --minify", "phx.digest"]
    ]
  end
end
