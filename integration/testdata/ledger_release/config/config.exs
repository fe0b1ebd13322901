import Config

config :ledger, data_dir: "/tmp"
