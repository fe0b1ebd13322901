defmodule Hello.Release do
  @moduledoc """
  Used for executing DB release tasks when run in production without Mix
  installed (phx.gen.release writes one; with --no-ecto there is nothing to migrate).
  """
  def migrate, do: IO.puts("hello: nothing to migrate")
end
