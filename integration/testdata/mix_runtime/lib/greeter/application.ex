defmodule Greeter.Application do
  @moduledoc "Starts OTP's :inets HTTP server on $PORT (8080 by default)."
  use Application

  @impl true
  def start(_type, _args) do
    port = "PORT" |> System.get_env("8080") |> String.to_integer()
    tmp = System.tmp_dir!() |> String.to_charlist()

    {:ok, _pid} =
      :inets.start(:httpd,
        port: port,
        bind_address: :any,
        server_name: ~c"greeter",
        server_root: tmp,
        document_root: tmp,
        modules: [Greeter.Handler]
      )

    Supervisor.start_link([], strategy: :one_for_one, name: Greeter.Supervisor)
  end
end
