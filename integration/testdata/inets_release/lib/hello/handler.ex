defmodule Hello.Handler do
  @moduledoc "An :httpd module that answers every request with a greeting."

  # :httpd calls do/1, a reserved word in Elixir, hence unquote.
  def unquote(:do)(_mod_data) do
    body = "inets_release: served by a release built by Elixir Buildpacks\n"
    {:proceed, [{:response, {200, String.to_charlist(body)}}]}
  end
end
