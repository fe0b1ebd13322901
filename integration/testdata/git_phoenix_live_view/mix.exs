defmodule PhoenixLiveView.MixProject do
  use Mix.Project

  # A stand-in for phoenix_live_view: its ES module client in priv/static.
  def project do
    [app: :phoenix_live_view, version: "0.20.17", elixir: "~> 1.14", deps: []]
  end

  def application, do: [extra_applications: [:logger]]
end
