defmodule Greeter.MixProject do
  use Mix.Project

  # No releases and no config/runtime.exs: the buildpack ships the compiled
  # app with Erlang and Elixir, and runs it with mix.
  def project do
    [
      app: :greeter,
      version: "0.1.0",
      elixir: "~> 1.14",
      deps: []
    ]
  end

  def application do
    [extra_applications: [:logger, :inets], mod: {Greeter.Application, []}]
  end
end
