defmodule Web.Handler do
  @moduledoc "An :httpd module that says which release answers."

  # :httpd calls do/1, a reserved word in Elixir, hence unquote.
  def unquote(:do)(_mod_data) do
    body = "umbrella_releases: the web release\n"
    {:proceed, [{:response, {200, String.to_charlist(body)}}]}
  end
end
