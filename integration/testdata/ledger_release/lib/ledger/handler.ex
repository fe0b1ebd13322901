defmodule Ledger.Handler do
  @moduledoc "An :httpd module that says whether the migrations ran."

  # :httpd calls do/1, a reserved word in Elixir, hence unquote.
  def unquote(:do)(_mod_data) do
    {:proceed, [{:response, {200, String.to_charlist(body())}}]}
  end

  def body do
    case File.read(Ledger.Release.marker()) do
      {:ok, ran} -> "ledger: " <> ran
      {:error, _} -> "ledger: not migrated\n"
    end
  end
end
