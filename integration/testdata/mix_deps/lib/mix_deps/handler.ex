defmodule MixDeps.Handler do
  @moduledoc "An :httpd module that answers with what each kind of dependency says."

  # Proves SECRET_KEY_BASE reached Mix at build time without keeping it:
  # only its digest is compiled in.
  @secret_digest :crypto.hash(:sha256, System.get_env("SECRET_KEY_BASE", "")) |> Base.encode16(case: :lower)

  def body do
    "mix_deps v1: #{Greeting.hello()} | #{Shouty.shout("from a git dep")} | #{:erlcount.describe()} | " <>
      "secret sha256 #{@secret_digest}\n"
  end

  # :httpd calls do/1, a reserved word in Elixir, hence unquote.
  def unquote(:do)(_mod_data) do
    {:proceed, [{:response, {200, String.to_charlist(body())}}]}
  end
end
