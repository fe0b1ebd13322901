defmodule RuntimesMixRequirement.MixProject do
  use Mix.Project

  # The only version source: Elixir's requirement, resolved against the index.
  def project do
    [
      app: :runtimes_mix_requirement,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [runtimes_mix_requirement: [include_executables_for: [:unix]]]
    ]
  end

  def application do
    [extra_applications: [:logger, :inets], mod: {RuntimesMixRequirement.Application, []}]
  end
end
