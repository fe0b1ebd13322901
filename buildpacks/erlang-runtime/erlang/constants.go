package erlang

const (
	// LayerErlang holds the OTP installation (its bin/ goes on PATH).
	LayerErlang = "erlang"
	// HexBuildsURLVar is the index base, shared with Mix (Elixir >= 1.15).
	HexBuildsURLVar = "HEX_BUILDS_URL"
)
