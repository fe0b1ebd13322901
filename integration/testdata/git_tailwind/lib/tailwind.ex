defmodule Tailwind do
  @moduledoc "Runs the standalone tailwind binary for a configured profile."

  @latest_version "3.4.3"

  def configured_version, do: Application.get_env(:tailwind, :version, @latest_version)

  # As the package: linux-x64, linux-arm64.
  def target do
    arch = :erlang.system_info(:system_architecture) |> List.to_string()
    if String.starts_with?(arch, "aarch64"), do: "linux-arm64", else: "linux-x64"
  end

  def bin_path do
    Application.get_env(:tailwind, :path) ||
      Path.join(Path.dirname(Mix.Project.build_path()), "tailwind-#{target()}")
  end

  # The version the installed binary reports in its --help banner.
  def bin_version do
    path = bin_path()

    with true <- File.exists?(path),
         {out, 0} <- System.cmd(path, ["--help"], stderr_to_stdout: true),
         [_, vsn] <- Regex.run(~r/tailwindcss v([^\s]+)/, out) do
      {:ok, vsn}
    else
      _ -> :error
    end
  end

  def default_base_url,
    do: "https://github.com/tailwindlabs/tailwindcss/releases/download/v$version/tailwindcss-$target"

  def install(base_url \\ default_base_url()) do
    url =
      base_url
      |> String.replace("$version", configured_version())
      |> String.replace("$target", target())

    Mix.shell().info("Downloading tailwind from #{url}")
    {:ok, _} = Application.ensure_all_started(:inets)
    {:ok, _} = Application.ensure_all_started(:ssl)

    case :httpc.request(:get, {String.to_charlist(url), []}, [timeout: 10_000], body_format: :binary) do
      {:ok, {{_, 200, _}, _, body}} ->
        path = bin_path()
        File.mkdir_p!(Path.dirname(path))
        File.write!(path, body)
        File.chmod!(path, 0o755)

      other ->
        raise "couldn't fetch #{url}: #{inspect(other)}"
    end
  end

  def run(profile, extra_args) do
    config = Application.get_env(:tailwind, String.to_atom(profile)) || Mix.raise("unknown tailwind profile #{profile}")
    args = (config[:args] || []) ++ extra_args
    opts = [cd: config[:cd] || File.cwd!(), env: config[:env] || %{}, into: IO.stream(:stdio, :line), stderr_to_stdout: true]
    {_, status} = System.cmd(bin_path(), args, opts)
    status
  end
end
