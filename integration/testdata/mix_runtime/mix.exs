defmodule Greeter.MixProject do
  use Mix.Project

  # No releases and no config/runtime.exs: the buildpack ships the compiled
  # app with Erlang and Elixir, and runs it with mix.
  #
  # The git dep is served by `git daemon` on 127.0.0.1: the integration
  # test puts the daemon's port in the URL and writes the mix.lock that
  # pins it, so the URL is fixed, as in any app.

  def project do
    [
      app: :greeter,
      version: "0.1.0",
      elixir: "~> 1.14",
      deps: [{:shouty, git: "git://127.0.0.1:9418/shouty.git"}]
    ]
  end

  def application do
    [extra_applications: [:logger, :inets], mod: {Greeter.Application, []}]
  end
end
