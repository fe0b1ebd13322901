defmodule Mix.Tasks.Shout do
  @shortdoc "Shouts its arguments"
  @moduledoc "A Mix task a dependency brings, as phx.server or ecto.migrate do."
  use Mix.Task

  @impl true
  def run(args), do: IO.puts(Shouty.shout(Enum.join(args, " ")))
end
