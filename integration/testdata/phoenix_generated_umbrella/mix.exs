defmodule Hello.Umbrella.MixProject do
  use Mix.Project

  # The shape `mix phx.new hello --umbrella --no-ecto`
  # (Phoenix 1.7) generates: a core app and a web app under apps/, sharing
  # the root's config, deps and _build; the release is declared here, with
  # phx.gen.release's overlays in rel/. The git deps are stand-ins served
  # by the integration test's git daemon (GIT_DEPS_BASE), as for the
  # single app.
  def project do
    [
      apps_path: "apps",
      version: "0.1.0",
      start_permanent: Mix.env() == :prod,
      deps: deps(),
      aliases: aliases(),
      releases: [
        hello_umbrella: [
          applications: [hello: :permanent, hello_web: :permanent],
          include_executables_for: [:unix]
        ]
      ]
    ]
  end

  # Dependencies listed here are available only for this project and
  # cannot be accessed from applications inside the apps folder.
  defp deps do
    []
  end

  defp aliases do
    [
      # run `mix setup` in all child apps
      setup: ["cmd mix setup"]
    ]
  end
end
