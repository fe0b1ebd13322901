# The umbrella's shared configuration, as phx.new --umbrella writes it:
# the web app's endpoint, the asset tools (cd into apps/hello_web/assets;
# esbuild's NODE_PATH over the root's deps), then the environment's own file.
import Config

config :hello_web,
  generators: [timestamp_type: :utc_datetime]

config :hello_web, HelloWeb.Endpoint,
  url: [host: "localhost"],
  render_errors: [formats: [html: HelloWeb.ErrorHTML], layout: false]

# Configure esbuild (the version is required)
config :esbuild,
  version: "0.17.11",
  hello_web: [
    args:
      ~w(js/app.js --bundle --target=es2017 --outdir=../priv/static/assets --external:/fonts/* --external:/images/*),
    cd: Path.expand("../apps/hello_web/assets", __DIR__),
    env: %{"NODE_PATH" => Path.expand("../deps", __DIR__)}
  ]

# Configure tailwind (the version is required)
config :tailwind,
  version: "3.4.3",
  hello_web: [
    args: ~w(
      --config=tailwind.config.js
      --input=css/app.css
      --output=../priv/static/assets/app.css
    ),
    cd: Path.expand("../apps/hello_web/assets", __DIR__)
  ]

config :logger, :console,
  format: "$time $metadata[$level] $message\n",
  metadata: [:request_id]

config :phoenix, :json_library, Jason

import_config "#{config_env()}.exs"
