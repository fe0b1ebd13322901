defmodule HelloWeb.Application do
  @moduledoc false
  use Application

  @impl true
  def start(_type, _args) do
    Supervisor.start_link([HelloWeb.Endpoint], strategy: :one_for_one, name: HelloWeb.Supervisor)
  end
end
