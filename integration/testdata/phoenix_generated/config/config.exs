# General application configuration, as phx.new writes it: the endpoint,
# then the asset tools, then the environment's own file.
import Config

config :hello,
  generators: [timestamp_type: :utc_datetime]

config :hello, HelloWeb.Endpoint,
  url: [host: "localhost"],
  render_errors: [formats: [html: HelloWeb.ErrorHTML], layout: false]

# Configure esbuild (the version is required)
config :esbuild,
  version: "0.17.11",
  hello: [
    args:
      ~w(js/app.js --bundle --target=es2017 --outdir=../priv/static/assets --external:/fonts/* --external:/images/*),
    cd: Path.expand("../assets", __DIR__),
    env: %{"NODE_PATH" => Path.expand("../deps", __DIR__)}
  ]

# Configure tailwind (the version is required)
config :tailwind,
  version: "3.4.3",
  hello: [
    args: ~w(
      --config=tailwind.config.js
      --input=css/app.css
      --output=../priv/static/assets/app.css
    ),
    cd: Path.expand("../assets", __DIR__)
  ]

config :logger, :console,
  format: "$time $metadata[$level] $message\n",
  metadata: [:request_id]

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
