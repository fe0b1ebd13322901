defmodule Tailwind.MixProject do
  use Mix.Project

  # A stand-in for the tailwind package (no Hex here) with the behaviour the
  # build depends on: `mix tailwind PROFILE ARGS` runs the standalone
  # binary with the profile's args, cd and env from config; the binary is
  # config :tailwind, :path, else _build/tailwind-<target>; and
  # `mix tailwind.install --if-missing [BASE_URL]` downloads only when that
  # binary does not report the configured version.
  def project do
    [app: :tailwind, version: "0.2.3", elixir: "~> 1.14", deps: []]
  end

  def application, do: [extra_applications: [:logger, :inets, :ssl]]
end
