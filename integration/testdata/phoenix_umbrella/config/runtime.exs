import Config

# As phx.gen.release's runtime.exs: the endpoint serves only with PHX_SERVER.
if System.get_env("PHX_SERVER") do
  config :web, server: true
end
