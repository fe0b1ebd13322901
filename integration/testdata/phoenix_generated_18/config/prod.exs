import Config

# The digested files phx.digest writes, for the endpoint to serve.
config :hello, HelloWeb.Endpoint, cache_static_manifest: "priv/static/cache_manifest.json"

config :logger, level: :info
