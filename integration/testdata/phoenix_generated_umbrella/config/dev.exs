import Config

config :hello_web, HelloWeb.Endpoint, http: [ip: {127, 0, 0, 1}, port: 4000]
