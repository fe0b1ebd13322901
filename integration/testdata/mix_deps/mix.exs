defmodule MixDeps.MixProject do
  use Mix.Project

  # The git deps are served by `git daemon` on 127.0.0.1, which the
  # integration test starts and names in GIT_DEPS_BASE; it also writes the
  # mix.lock that pins them.
  @git_base System.get_env("GIT_DEPS_BASE", "git://127.0.0.1:9418")

  def project do
    [
      app: :mix_deps,
      version: "0.1.0",
      elixir: "~> 1.14",
      deps: deps(),
      releases: [mix_deps: [include_executables_for: [:unix]]]
    ]
  end

  def application do
    [extra_applications: [:logger, :inets, :crypto], mod: {MixDeps.Application, []}]
  end

  defp deps do
    [
      # An Elixir library in a folder of the app.
      {:greeting, path: "local/greeting"},
      # An Elixir library from a git repository.
      {:shouty, git: "#{@git_base}/shouty.git"},
      # An Erlang library built by rebar3, from a git repository.
      {:erlcount, git: "#{@git_base}/erlcount.git"}
    ]
  end
end
