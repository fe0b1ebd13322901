defmodule Phoenix.Endpoint.Server do
  @moduledoc false
  require Record
  Record.defrecordp(:mod, Record.extract(:mod, from_lib: "inets/include/httpd.hrl"))

  def start_link(otp_app, endpoint) do
    config = Application.get_env(otp_app, endpoint, [])

    if config[:server] do
      :persistent_term.put(__MODULE__, otp_app)

      :inets.start(:httpd,
        port: get_in(config, [:http, :port]) || 4000,
        bind_address: :any,
        server_name: String.to_charlist(to_string(otp_app)),
        server_root: String.to_charlist(System.tmp_dir!()),
        document_root: String.to_charlist(Application.app_dir(otp_app, "priv/static")),
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
        otp_app = :persistent_term.get(__MODULE__)
        manifest = Application.app_dir(otp_app, "priv/static/cache_manifest.json") |> File.read!()
        [_, js] = Regex.run(~r/"assets\/(?:js\/)?app\.js":"([^"]+)"/, manifest)

        # As the root layout: the stylesheet, when tailwind built one.
        css =
          case Regex.run(~r/"assets\/(?:css\/)?app\.css":"([^"]+)"/, manifest) do
            [_, css] -> ~s(<link phx-track-static rel="stylesheet" href="/#{css}"/>\n)
            nil -> ""
          end

        body = css <> ~s(<script defer type="text/javascript" src="/#{js}"></script>\n)
        {:proceed, [{:response, {200, String.to_charlist(body)}}]}

      _ ->
        {:proceed, mod(data, :data)}
    end
  end
end
