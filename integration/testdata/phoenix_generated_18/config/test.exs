import Config

config :hello, HelloWeb.Endpoint, server: false
