defmodule RuntimesElixirVersion.MixProject do
  use Mix.Project

  # No elixir: requirement here: the only version source is .elixir-version.
  def project do
    [
      app: :runtimes_elixir_version,
      version: "0.1.0",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [runtimes_elixir_version: [include_executables_for: [:unix]]]
    ]
  end

  def application do
    [extra_applications: [:logger, :inets], mod: {RuntimesElixirVersion.Application, []}]
  end
end
