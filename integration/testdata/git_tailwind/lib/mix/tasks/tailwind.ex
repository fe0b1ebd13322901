defmodule Mix.Tasks.Tailwind do
  @shortdoc "Invokes tailwind with the profile and args"
  use Mix.Task

  @impl true
  def run([profile | args]) do
    Mix.Task.run("loadpaths")
    File.exists?(Tailwind.bin_path()) || Mix.raise("tailwind is not installed at #{Tailwind.bin_path()}: run mix tailwind.install")

    case Tailwind.run(profile, args) do
      0 -> :ok
      status -> Mix.raise("`mix tailwind #{profile}` exited with #{status}")
    end
  end
end
