defmodule RuntimesMixRequirement.Handler do
  @moduledoc "An :httpd module that names the app and the runtimes it runs on."

  # :httpd calls do/1, a reserved word in Elixir, hence unquote.
  def unquote(:do)(_mod_data) do
    body =
      "runtimes_mix_requirement: Elixir #{System.version()} on Erlang/OTP #{:erlang.system_info(:otp_release)}\n"

    {:proceed, [{:response, {200, String.to_charlist(body)}}]}
  end
end
