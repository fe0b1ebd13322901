defmodule Web.Handler do
  @moduledoc "Answers /phx_server with $PHX_SERVER; mod_get serves the rest."
  require Record
  Record.defrecordp(:mod, Record.extract(:mod, from_lib: "inets/include/httpd.hrl"))

  # :httpd calls do/1, a reserved word in Elixir, hence unquote.
  def unquote(:do)(data) do
    case mod(data, :request_uri) do
      ~c"/phx_server" ->
        body = "PHX_SERVER=#{System.get_env("PHX_SERVER")}\n"
        {:proceed, [{:response, {200, String.to_charlist(body)}}]}

      _ ->
        {:proceed, mod(data, :data)}
    end
  end
end
