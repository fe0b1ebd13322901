defmodule Ledger.Release do
  @moduledoc """
  Used for executing DB release tasks when run in production without Mix
  installed, as phx.gen.release writes it; here a migration records that it
  ran in a file under the configured data_dir.
  """
  @app :ledger

  def migrate do
    load_app()
    File.write!(marker(), "migrated by Ledger.Release.migrate\n")
    IO.puts("ledger: migrations ran")
  end

  def marker, do: Path.join(Application.fetch_env!(@app, :data_dir), "migrated")

  defp load_app do
    Application.load(@app)
  end
end
