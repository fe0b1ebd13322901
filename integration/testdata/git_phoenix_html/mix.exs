defmodule PhoenixHTML.MixProject do
  use Mix.Project

  # A stand-in for phoenix_html: its priv/static/phoenix_html.js, which the
  # generated app.js imports for its side effects.
  def project do
    [app: :phoenix_html, version: "3.3.4", elixir: "~> 1.14", deps: []]
  end

  def application, do: [extra_applications: [:logger]]
end
