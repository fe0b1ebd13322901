defmodule Hello.MixProject do
  use Mix.Project

  def project do
    [
      app: :hello,
      version: "0.1.0",
      build_path: "../../_build",
      config_path: "../../config/config.exs",
      deps_path: "../../deps",
      lockfile: "../../mix.lock",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      aliases: [setup: ["deps.get"]],
      deps: []
    ]
  end

  def application do
    [mod: {Hello.Application, []}, extra_applications: [:logger, :runtime_tools]]
  end
end
