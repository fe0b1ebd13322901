defmodule Mix.Tasks.Esbuild.Install do
  @shortdoc "Installs esbuild under _build"
  use Mix.Task

  @impl true
  def run(args) do
    Mix.Task.run("loadconfig")
    path = Esbuild.bin_path()

    if "--if-missing" in args and File.exists?(path) do
      :ok
    else
      url = Esbuild.install_url()
      Mix.shell().info("Downloading esbuild from #{url}")
      {:ok, _} = Application.ensure_all_started(:inets)
      {:ok, _} = Application.ensure_all_started(:ssl)

      case :httpc.request(:get, {String.to_charlist(url), []}, [timeout: 10_000], body_format: :binary) do
        {:ok, {{_, 200, _}, _, body}} ->
          {:ok, files} = :erl_tar.extract({:binary, body}, [:memory, :compressed])
          {_, bin} = List.keyfind(files, ~c"package/bin/esbuild", 0)
          File.mkdir_p!(Path.dirname(path))
          File.write!(path, bin)
          File.chmod!(path, 0o755)

        other ->
          Mix.raise("couldn't fetch #{url}: #{inspect(other)}")
      end
    end
  end
end
