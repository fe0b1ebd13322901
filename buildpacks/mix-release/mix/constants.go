package mix

const (
	// LayerMixHome and LayerHexHome are cache layers for MIX_HOME and HEX_HOME.
	LayerMixHome = "mix-home"
	LayerHexHome = "hex-home"
	// LayerRelease holds the assembled release: the only launch layer.
	LayerRelease = "release"

	// ProjectPathVar names a sub-folder holding mix.exs.
	ProjectPathVar = "BP_MIX_PROJECT_PATH"
	// ReleaseVar is the seed platforms' variable naming the release; it wins
	// over ReleaseNameVar.
	ReleaseVar     = "RELEASE"
	ReleaseNameVar = "BP_MIX_RELEASE_NAME"

	// DefaultPort is what the web process listens on unless PORT is set at run time.
	DefaultPort = "8080"
)
