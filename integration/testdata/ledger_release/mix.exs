defmodule Ledger.MixProject do
  use Mix.Project

  # A release in the shape `mix phx.gen.release` leaves an app in: a
  # releases: entry, config/runtime.exs, rel/overlays/bin/server and
  # bin/migrate, and a Ledger.Release module that migrate evaluates. There
  # is no Ecto (no Hex here): a migration writes a file under DATA_DIR,
  # which stands in for the database, and the web process shows it.
  def project do
    [
      app: :ledger,
      version: "0.1.0",
      elixir: "~> 1.14",
      start_permanent: Mix.env() == :prod,
      deps: [],
      releases: [ledger: [include_executables_for: [:unix]]]
    ]
  end

  def application do
    [extra_applications: [:logger, :inets], mod: {Ledger.Application, []}]
  end
end
