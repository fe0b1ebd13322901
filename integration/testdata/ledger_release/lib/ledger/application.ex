defmodule Ledger.Application do
  @moduledoc """
  Serves HTTP with OTP's :inets on $PORT. A PORT that is not a number fails
  the application's start, and so the node's boot, as a bad setting does in
  a real app: that is how the integration suite makes a release crash at
  boot.
  """
  use Application

  @impl true
  def start(_type, _args) do
    port = "PORT" |> System.get_env("8080") |> String.to_integer()
    tmp = System.tmp_dir!() |> String.to_charlist()

    {:ok, _pid} =
      :inets.start(:httpd,
        port: port,
        bind_address: :any,
        server_name: ~c"ledger",
        server_root: tmp,
        document_root: tmp,
        modules: [Ledger.Handler]
      )

    Supervisor.start_link([], strategy: :one_for_one, name: Ledger.Supervisor)
  end
end
