defmodule Greeter.Handler do
  @moduledoc "An :httpd module that answers every request with a greeting."

  def body, do: "mix_runtime: served by mix run, MIX_ENV=#{System.get_env("MIX_ENV")}\n"

  # :httpd calls do/1, a reserved word in Elixir, hence unquote.
  def unquote(:do)(_mod_data) do
    {:proceed, [{:response, {200, String.to_charlist(body())}}]}
  end
end
