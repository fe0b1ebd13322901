defmodule Mix.Tasks.Tailwind.Install do
  @shortdoc "Installs the standalone tailwind under _build"
  use Mix.Task

  @impl true
  def run(args) do
    Mix.Task.run("loadconfig")
    {opts, base_url} = OptionParser.parse!(args, strict: [if_missing: :boolean])
    version = Tailwind.configured_version()

    if opts[:if_missing] && Tailwind.bin_version() == {:ok, version} do
      :ok
    else
      case base_url do
        [url] -> Tailwind.install(url)
        [] -> Tailwind.install()
      end
    end
  end
end
