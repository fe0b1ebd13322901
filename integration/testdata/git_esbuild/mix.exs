defmodule Esbuild.MixProject do
  use Mix.Project

  # A stand-in for the esbuild package (no Hex here) with the behaviour the
  # build depends on: `mix esbuild PROFILE ARGS` runs the binary with the
  # profile's args, cd and env from config; the binary is config
  # :esbuild, :path, else _build/esbuild-<target>; and
  # `mix esbuild.install --if-missing` downloads only when it is absent.
  def project do
    [app: :esbuild, version: "0.8.1", elixir: "~> 1.14", deps: []]
  end

  def application, do: [extra_applications: [:logger, :inets, :ssl]]
end
