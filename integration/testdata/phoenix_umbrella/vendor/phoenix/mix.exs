defmodule Phoenix.MixProject do
  use Mix.Project

  # Not Phoenix: a stand-in named phoenix (no Hex here) that defines the
  # one Mix task the buildpack runs, phx.digest.
  def project do
    [app: :phoenix, version: "1.7.0", elixir: "~> 1.14", deps: []]
  end

  def application, do: [extra_applications: [:logger, :crypto]]
end
