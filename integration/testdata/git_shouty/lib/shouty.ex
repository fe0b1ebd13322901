defmodule Shouty do
  @moduledoc "A git dependency."
  def shout(text), do: String.upcase(text) <> "!"
end
