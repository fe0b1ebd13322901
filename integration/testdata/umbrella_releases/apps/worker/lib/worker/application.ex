defmodule Worker.Application do
  @moduledoc "A release with no web server, to be a second release to pick from."
  use Application

  @impl true
  def start(_type, _args) do
    Supervisor.start_link([], strategy: :one_for_one, name: Worker.Supervisor)
  end
end
