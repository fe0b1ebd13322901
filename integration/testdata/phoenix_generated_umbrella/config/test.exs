import Config

config :hello_web, HelloWeb.Endpoint, server: false
