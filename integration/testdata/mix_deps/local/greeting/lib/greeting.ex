defmodule Greeting do
  @moduledoc "A path dependency."
  def hello, do: "hello from a path dep"
end
