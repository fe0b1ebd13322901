package elixir

const (
	// LayerElixir holds Elixir (bin/ with elixir, iex, mix; lib/).
	LayerElixir = "elixir"
	// HexBuildsURLVar is the index base, shared with Mix (Elixir >= 1.15).
	HexBuildsURLVar = "HEX_BUILDS_URL"
)
