defmodule Phoenix.Endpoint do
  @moduledoc """
  Stand-in for Phoenix.Endpoint (no Hex here), enough for the endpoint
  module `mix phx.new` generates to compile and serve: `use
  Phoenix.Endpoint, otp_app: :app` gives it a child spec that, with the
  endpoint's `server: true` (PHX_SERVER), serves the app's priv/static
  with OTP's :inets on the configured port; `socket` and `plug` lines are
  accepted and ignored. `/` answers with a script tag for the digested
  app.js (and app.css) that cache_manifest.json names, as a page's
  layout would.
  """

  defmacro __using__(opts) do
    otp_app = Keyword.fetch!(opts, :otp_app)

    quote do
      import Phoenix.Endpoint, only: [socket: 2, socket: 3, plug: 1, plug: 2]

      def child_spec(_), do: %{id: __MODULE__, start: {Phoenix.Endpoint.Server, :start_link, [unquote(otp_app), __MODULE__]}}
    end
  end

  defmacro socket(_path, _module, _opts \\ []), do: nil
  defmacro plug(_plug, _opts \\ []), do: nil
end
