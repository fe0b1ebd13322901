defmodule Web.Application do
  @moduledoc """
  Serves priv/static with OTP's :inets on $PORT, as a Phoenix endpoint
  would, only when config/runtime.exs saw PHX_SERVER.
  """
  use Application

  @impl true
  def start(_type, _args) do
    if Application.get_env(:web, :server) do
      port = "PORT" |> System.get_env("8080") |> String.to_integer()

      {:ok, _pid} =
        :inets.start(:httpd,
          port: port,
          bind_address: :any,
          server_name: ~c"web",
          server_root: System.tmp_dir!() |> String.to_charlist(),
          document_root: Application.app_dir(:web, "priv/static") |> String.to_charlist(),
          modules: [Web.Handler, :mod_get]
        )
    end

    Supervisor.start_link([], strategy: :one_for_one, name: Web.Supervisor)
  end
end
