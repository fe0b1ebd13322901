import Config

# As phx.gen.release's runtime.exs reads DATABASE_URL, this reads where the
# stand-in database lives.
if config_env() == :prod do
  config :ledger, data_dir: System.get_env("DATA_DIR") || "/tmp"
end
