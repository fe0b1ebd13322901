defmodule Shouty.MixProject do
  use Mix.Project

  # Served as a git repository by the integration test (git daemon).
  def project do
    [app: :shouty, version: "0.1.0", elixir: "~> 1.14", deps: []]
  end
end
