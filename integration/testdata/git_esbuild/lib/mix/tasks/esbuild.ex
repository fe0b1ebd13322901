defmodule Mix.Tasks.Esbuild do
  @shortdoc "Invokes esbuild with the profile and args"
  use Mix.Task

  @impl true
  def run([profile | args]) do
    Mix.Task.run("loadpaths")
    File.exists?(Esbuild.bin_path()) || Mix.raise("esbuild is not installed at #{Esbuild.bin_path()}: run mix esbuild.install")

    case Esbuild.run(profile, args) do
      0 -> :ok
      status -> Mix.raise("`mix esbuild #{profile}` exited with #{status}")
    end
  end
end
