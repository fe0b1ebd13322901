defmodule Hello do
  @moduledoc """
  Hello keeps the contexts that define your domain and business logic.
  """
end
