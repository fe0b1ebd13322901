defmodule Phoenix.MixProject do
  use Mix.Project

  # Not Phoenix (no Hex here): a stand-in with Phoenix's layout where the
  # build reads it: the phx.digest task, and the JavaScript client in
  # priv/static that package.json names and esbuild resolves through
  # NODE_PATH (deps/phoenix).
  def project do
    [app: :phoenix, version: "1.7.14", elixir: "~> 1.14", deps: []]
  end

  def application, do: [extra_applications: [:logger, :crypto, :inets]]
end
