package mix

import "github.com/elixir-buildpacks/elixir-buildpacks/internal/toolchain"

const (
	// LayerMixHome is MIX_HOME: the Hex archive when the project needs Hex.
	// Cache only, plus launch in Mix runtime mode (mix needs Hex to load a
	// tree with Hex packages even when it fetches nothing).
	LayerMixHome = "mix-home"
	// LayerHexHome is HEX_HOME: Hex's registry cache and package tarballs.
	// Cache only; hex.config written from a binding never stays in it.
	LayerHexHome = "hex-home"
	// LayerRebar3 holds the rebar3 escript Mix gets through MIX_REBAR3.
	LayerRebar3 = "rebar3"
	// LayerDeps holds the fetched dependency sources; <root>/deps links to it.
	LayerDeps = "deps"
	// LayerBuild is _build (<root>/_build links to it): compiled deps and app. Not
	// "build": <layers>/build.toml is the buildpack's own build metadata, so
	// a layer of that name loses its toml and is never restored.
	LayerBuild = "mix-build"
	// LayerRelease holds the assembled release (release mode): its root,
	// with ERTS and the dependency applications.
	LayerRelease = "release"
	// LayerReleaseApp holds the project's own applications of the release,
	// linked from the root, so a source-only change replaces only it.
	LayerReleaseApp = "release-app"
	// LayerLaunchEnv holds the launch environment defaults and the exec.d
	// script that gives every process a writable HOME.
	LayerLaunchEnv = "launch-env"
	// LayerKeySalt holds the secret that the no-change key hashes platform
	// variables with. A cache layer only: it never reaches an image.
	LayerKeySalt = "key-salt"

	// DepsDir and BuildDir are the folders inside the deps and build layers
	// that <root>/deps and <root>/_build link to, named as the links. A folder, not the
	// layer root, so a project with no deps still leaves a non-empty layer
	// (libpak takes an empty restored layer for a lost one and rebuilds it).
	DepsDir  = "deps"
	BuildDir = "_build"

	// ProjectPathVar names a sub-folder holding mix.exs.
	ProjectPathVar = toolchain.ProjectPathVar
	// ReleaseModeVar forces release mode (true) or Mix runtime mode (false).
	ReleaseModeVar = "BP_MIX_RELEASE"
	// ReleaseVar is the seed platforms' variable naming the release; it wins
	// over ReleaseNameVar.
	ReleaseVar     = "RELEASE"
	ReleaseNameVar = "BP_MIX_RELEASE_NAME"
	// RunCommandVar replaces the web process (the seed platforms' variable).
	RunCommandVar = "RUN_COMMAND"
	// HexBuildsURLVar is where the Hex archive and rebar3 are downloaded
	// from (the installs/ folder of a builds.hex.pm-shaped index); Mix
	// before 1.15 reads HexMirrorVar for the same thing.
	HexBuildsURLVar = "HEX_BUILDS_URL"
	HexMirrorVar    = "HEX_MIRROR"
	HexOfflineVar   = "HEX_OFFLINE"
	HexUnsafeVar    = "HEX_UNSAFE_REGISTRY"
	// HexRepoURLVar and HexRepoPublicKeyVar point the hexpm repository at a
	// self-hosted one (the same as a hex binding's url and public_key).
	HexRepoURLVar       = "BP_HEX_REPO_URL"
	HexRepoPublicKeyVar = "BP_HEX_REPO_PUBLIC_KEY"
	// HexOrganizationVar and HexOrganizationKeyVar name a hexpm organization
	// and its key (the same as a hex binding's organization and
	// organization_key): the build runs mix hex.organization auth ORG --key
	// KEY before mix deps.get. The key is not declared in buildpack.toml,
	// whose settings table libpak prints with the values.
	HexOrganizationVar    = "BP_HEX_ORGANIZATION"
	HexOrganizationKeyVar = "BP_HEX_ORGANIZATION_KEY"
	// HexReposKeyVar is Hex's key for every repository, deprecated by Hex
	// 2.5 and ignored from 2.6.
	HexReposKeyVar = "HEX_REPOS_KEY"
	// Rebar3Var is Mix's own: a rebar3 the user provides; then none is installed.
	Rebar3Var = "MIX_REBAR3"

	// BindingTypeHex is the service binding type for a Hex repository and
	// organisation: keys url, public_key (PEM), key (an organisation or
	// repository key, given to Hex as HEX_REPOS_KEY), and organization with
	// organization_key (authenticated with mix hex.organization auth).
	BindingTypeHex = "hex"
	// Binding keys of a hex binding for an organization (organization-key
	// is read too, as public-key is).
	BindingHexOrganization    = "organization"
	BindingHexOrganizationKey = "organization_key"

	// DefaultPort is what the web process listens on unless PORT is set at run time.
	DefaultPort = "8080"
	// DefaultLang is the locale Mix and the app get unless LANG is set.
	DefaultLang = "C.UTF-8"
)

// The build plan entry mix-release provides to itself. The lifecycle hands a
// buildpack's build only the entries it provides, so this is how detection
// tells the build which mode it planned (metadata PlanModeKey).
const (
	PlanMix         = "mix-release"
	PlanModeKey     = "mode"
	PlanModeRelease = "release"
	PlanModeRuntime = "runtime"
)

// Process types.
const (
	ProcessWeb     = "web"
	ProcessConsole = "console"
	ProcessRemote  = "remote"
	ProcessMigrate = "migrate"
)
