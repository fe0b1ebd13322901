defmodule Phoenix.LiveView do
  @moduledoc "Stand-in: only the JavaScript in priv/static matters here."
end
