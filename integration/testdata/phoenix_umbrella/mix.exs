defmodule PhoenixUmbrella.MixProject do
  use Mix.Project

  # An umbrella whose web child stands in for a Phoenix app: it depends on
  # a local `phoenix` (vendor/phoenix, which only defines mix phx.digest)
  # and defines the assets.setup and assets.deploy aliases of Phoenix 1.6+.
  def project do
    [
      apps_path: "apps",
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [web: [applications: [web: :permanent], include_executables_for: [:unix]]]
    ]
  end
end
