defmodule HelloWeb.Endpoint do
  @moduledoc """
  Stands in for the Phoenix endpoint (no Hex here): with `server: true`
  (PHX_SERVER) it serves priv/static on the configured port with OTP's
  :inets, and / answers with the digested app.js that
  cache_static_manifest names, as a page's script tag would.
  """
  require Record
  Record.defrecordp(:mod, Record.extract(:mod, from_lib: "inets/include/httpd.hrl"))

  def child_spec(_), do: %{id: __MODULE__, start: {__MODULE__, :start_link, []}}

  def start_link do
    config = Application.get_env(:hello, __MODULE__, [])

    if config[:server] do
      port = get_in(config, [:http, :port]) || 4000

      :inets.start(:httpd,
        port: port,
        bind_address: :any,
        server_name: ~c"hello",
        server_root: String.to_charlist(System.tmp_dir!()),
        document_root: String.to_charlist(Application.app_dir(:hello, "priv/static")),
        modules: [__MODULE__, :mod_get]
      )
    else
      :ignore
    end
  end

  # :httpd calls do/1, a reserved word in Elixir, hence unquote.
  def unquote(:do)(data) do
    case mod(data, :request_uri) do
      ~c"/" ->
        manifest = Application.app_dir(:hello, "priv/static/cache_manifest.json") |> File.read!()
        [_, js] = Regex.run(~r/"assets\/(?:js\/)?app\.js":"([^"]+)"/, manifest)
        body = ~s(<script defer type="text/javascript" src="/#{js}"></script>\n)
        {:proceed, [{:response, {200, String.to_charlist(body)}}]}

      _ ->
        {:proceed, mod(data, :data)}
    end
  end
end
