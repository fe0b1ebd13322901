defmodule UmbrellaReleases.MixProject do
  use Mix.Project

  # Two releases from one umbrella: the build must be told which one.
  def project do
    [
      apps_path: "apps",
      version: "0.1.0",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [
        web: [applications: [web: :permanent], include_executables_for: [:unix]],
        worker: [applications: [worker: :permanent], include_executables_for: [:unix]]
      ]
    ]
  end
end
