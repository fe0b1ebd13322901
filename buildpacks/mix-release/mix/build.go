package mix

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/buildpacks/libcnb/v2"
	"github.com/paketo-buildpacks/libpak/v2/effect"
	"github.com/paketo-buildpacks/libpak/v2/log"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/command"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/facts"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/settings"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

// Build fetches and compiles the deps, compiles the app and ships it as a
// release or, in Mix runtime mode, as the compiled app run by mix.
type Build struct {
	Logger   log.Logger
	Executor effect.Executor
	Env      settings.Lookup // the process environment; os.LookupEnv outside tests
	// LookPath finds the tools the build may need (npm); exec.LookPath when nil.
	LookPath func(string) (string, error)
}

// NewBuild is the build phase with the real executor and environment.
func NewBuild(logger log.Logger) libcnb.BuildFunc {
	return Build{Logger: logger, Executor: effect.NewExecutor(), Env: os.LookupEnv}.Build
}

// Build runs the steps in order and returns the layers and processes.
func (b Build) Build(ctx libcnb.BuildContext) (libcnb.BuildResult, error) {
	result, err := b.build(ctx)
	return result, usererr.Report(b.Logger, err)
}

// job is one build's state, shared by its steps.
type job struct {
	b       Build
	ctx     libcnb.BuildContext
	lookup  settings.Lookup
	root    string
	mixEnv  string
	mode    Mode
	assets  bool // BP_PHOENIX_ASSETS: build a Phoenix app's assets
	runner  command.Runner
	intro   mixproject.Introspector
	env     map[string]string // added to every Mix command, printed under DEBUG
	pass    map[string]string // handed to Mix, never printed
	hex     HexRepo           // a hex binding's or the settings' repository and organization
	project mixproject.Project
	tools   facts.Toolchain // what the runtimes installed
	result  libcnb.BuildResult
	// rebar3Given: MIX_REBAR3 is decided for this build.
	rebar3Given bool
	// sourceKey identifies the inputs of a release build ("" when some
	// cannot be keyed); the release layers record it.
	sourceKey string
}

func (b Build) build(ctx libcnb.BuildContext) (libcnb.BuildResult, error) {
	lookup, err := settings.Start(ctx, b.Logger, b.Env)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	tools, err := facts.Read(facts.Lookup(b.Env))
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	j := &job{b: b, ctx: ctx, lookup: lookup, tools: tools, result: libcnb.NewBuildResult(),
		root:   ProjectRoot(ctx.ApplicationPath, lookup.Get),
		mixEnv: firstSet(lookup.Get("MIX_ENV"), "prod"),
		runner: command.Runner{Executor: b.Executor, Logger: b.Logger, Debug: command.DebugEnabled(lookup)},
	}
	j.intro = mixproject.Introspector{Runner: j.runner, Script: filepath.Join(ctx.Buildpack.Path, "resources", mixproject.ScriptName)}
	mode, why, err := BuildMode(ctx, j.root, lookup)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	// Read now, not at the asset step: a mistyped value fails the build
	// before minutes of compiling, and whether or not the app is Phoenix.
	if j.assets, err = assetsOn(lookup); err != nil {
		return libcnb.BuildResult{}, err
	}
	j.mode = mode
	b.Logger.Headerf("%s: %s", mode, why)
	if mode == ModeRelease {
		if reused, done, err := j.reuseUnchanged(); done || err != nil {
			return reused, err
		}
	}
	return j.run()
}

func anyChildAssets(root string) bool {
	js, _ := filepath.Glob(filepath.Join(root, "apps", "*", "assets", "package.json"))
	return len(js) > 0
}

// resultLayer is the named layer of the result, to amend it.
func (j *job) resultLayer(name string) *libcnb.Layer {
	for i := range j.result.Layers {
		if j.result.Layers[i].Name == name {
			return &j.result.Layers[i]
		}
	}
	return &libcnb.Layer{}
}

// reuseUnchanged ends the build before any Mix command when nothing that
// goes into the release changed since the previous build.
func (j *job) reuseUnchanged() (libcnb.BuildResult, bool, error) {
	tools := j.tools.Key()
	// npm builds the assets with whatever Node.js another buildpack put on PATH.
	if js, _ := filepath.Glob(filepath.Join(j.root, "assets", "package.json")); len(js) > 0 || anyChildAssets(j.root) {
		tools += " node " + (Assets{Executor: j.b.Executor}).nodeVersion(j.root)
	}
	saltLayer, salt, err := KeySalt(j.ctx.Layers)
	if err != nil {
		return libcnb.BuildResult{}, false, err
	}
	// Returned on every path, or libcnb would delete it.
	j.result.Layers = append(j.result.Layers, saltLayer)
	key, why, err := SourceKey(j.ctx.ApplicationPath, j.ctx.Platform.Environment, j.lookup.Get,
		tools, j.ctx.Buildpack.Info.Version, salt)
	if err != nil {
		return libcnb.BuildResult{}, false, err
	}
	if why != "" {
		j.b.Logger.Bodyf("Building the release in full: %s", why)
		return libcnb.BuildResult{}, false, nil
	}
	j.sourceKey = key
	procs, ok := Unchanged(j.ctx.Layers, key)
	if !ok {
		return libcnb.BuildResult{}, false, nil
	}
	kept, err := KeptLayers(j.ctx.Layers)
	if err != nil {
		return libcnb.BuildResult{}, false, err
	}
	j.b.Logger.Headerf("Release: Reusing the previous build's release layers: the app's files, the settings, Erlang and Elixir are unchanged (key %s); no Mix command runs", key[:12])
	if err := j.shipAppDir(); err != nil {
		return libcnb.BuildResult{}, false, err
	}
	for _, l := range kept {
		if l.Name != LayerKeySalt {
			j.result.Layers = append(j.result.Layers, l)
		}
	}
	j.result.Processes = procs
	return j.result, true, nil
}

func (j *job) run() (libcnb.BuildResult, error) {
	ctx := j.ctx
	layer := func(name string) (libcnb.Layer, error) {
		l, err := ctx.Layers.Layer(name)
		if err != nil {
			return l, fmt.Errorf("creating layer %s: %w", name, err)
		}
		return l, nil
	}
	mixHome, err := layer(LayerMixHome)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	hexHome, err := layer(LayerHexHome)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	deps, err := layer(LayerDeps)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	build, err := layer(LayerBuild)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	if err := (HexHome{Logger: j.b.Logger}).Contribute(&hexHome); err != nil {
		return libcnb.BuildResult{}, err
	}
	// A committed deps/ is used as it is: that is how a project builds with
	// no network at all.
	// (A link there is this buildpack's own, left by an earlier build of the
	// same folder: not a committed deps/.)
	vendored := isRealDir(filepath.Join(j.root, DepsDir)) && nonEmptyDir(filepath.Join(j.root, DepsDir))
	j.env = map[string]string{
		"MIX_ENV":  j.mixEnv,
		"MIX_HOME": mixHome.Path,
		"HEX_HOME": hexHome.Path,
		// Mix links each app's priv into _build with a path relative to
		// MIX_BUILD_ROOT as it is given: through the <root>/_build link,
		// ../../../../priv would resolve inside the layer, not to the
		// app's priv. So Mix gets the layer's real path, and the link is
		// for the generated files that hard-code ../_build.
		"MIX_BUILD_ROOT": BuildRoot(build),
		"LANG":           firstSet(j.lookup.Get("LANG"), DefaultLang),
	}
	if err := os.MkdirAll(BuildRoot(build), 0o755); err != nil {
		return libcnb.BuildResult{}, err
	}
	if err := os.MkdirAll(DepsPath(deps), 0o755); err != nil {
		return libcnb.BuildResult{}, err
	}
	layout := MixLayout{Root: j.root, Logger: j.b.Logger}
	if err := layout.Link(BuildDir, BuildRoot(build)); err != nil {
		return libcnb.BuildResult{}, err
	}
	if !vendored {
		if err := layout.Link(DepsDir, DepsPath(deps)); err != nil {
			return libcnb.BuildResult{}, err
		}
	}
	cleanup, err := j.hexSettings(hexHome.Path)
	defer cleanup()
	if err != nil {
		return libcnb.BuildResult{}, err
	}

	if err := j.introspect("Reading the Mix project"); err != nil {
		return libcnb.BuildResult{}, err
	}
	var releaseName string
	if j.mode == ModeRelease {
		name, source, err := ChooseRelease(j.project, j.lookup.Get(ReleaseVar), j.lookup.Get(ReleaseNameVar))
		if err != nil {
			return libcnb.BuildResult{}, err
		}
		releaseName = name
		j.b.Logger.Bodyf("Release to build: %s (from %s)", name, source)
	}
	// Read now so a broken Procfile fails the build before any work.
	procfile, err := ReadProcfile(filepath.Join(ctx.ApplicationPath, "Procfile"))
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	if j.mode == ModeRelease {
		if err := CheckReleaseCommands(procfile, j.lookup.Get(RunCommandVar), releaseName); err != nil {
			return libcnb.BuildResult{}, err
		}
	}
	runtime := j.mode == ModeRuntime
	installs := NewInstalls(j.lookup)

	home := MixHome{NeedHex: j.project.NeedsHex(), Why: needWhy(j.project, isHex, "comes from a Hex repository", "come from a Hex repository"),
		Elixir: j.tools.Elixir, Launch: runtime, Installs: installs,
		Runner: j.runner, Env: j.env, Pass: j.pass, Logger: j.b.Logger}
	if err := home.Contribute(&mixHome); err != nil {
		return libcnb.BuildResult{}, err
	}
	j.result.Layers = append(j.result.Layers, mixHome, hexHome)

	key, err := DepsKey(KeyInputs{Root: j.root, Lockfile: j.project.Lockfile, MixEnv: j.mixEnv,
		OTP: j.tools.OTP.String(), Elixir: j.tools.Elixir, Vendored: vendored, Target: j.tools.Target})
	if err != nil {
		return libcnb.BuildResult{}, err
	}

	// Mix loads every dependency deps.get fetches and wants rebar3 there
	// (present, not run) for one that builds with it: so rebar3 comes first.
	if err := j.rebar3(installs); err != nil {
		return libcnb.BuildResult{}, err
	}
	fetched := false
	if vendored {
		j.b.Logger.Header("Mix dependencies: using the committed deps/ folder; mix deps.get does not run, nothing is fetched")
	} else {
		dl := &DepsLayer{Key: key, Launch: runtime, Logger: j.b.Logger, Fetch: j.depsGet}
		if _, err := os.Stat(filepath.Join(j.root, j.project.Lockfile)); j.project.Fetchable() && os.IsNotExist(err) {
			dl.Unpinned = "there is no " + j.project.Lockfile + " to pin the git and Hex deps (commit it to have them cached)"
		}
		if err := dl.Contribute(&deps); err != nil {
			return libcnb.BuildResult{}, err
		}
		fetched = dl.Fetched()
		j.result.Layers = append(j.result.Layers, deps)
	}
	if fetched && unknownManager(j.project) {
		// Fetched git deps say only now which tool builds them.
		if err := j.introspect("Reading the fetched dependencies"); err != nil {
			return libcnb.BuildResult{}, err
		}
		if err := j.rebar3(installs); err != nil {
			return libcnb.BuildResult{}, err
		}
	}

	cache := BuildCache{Launch: runtime, MixEnv: j.mixEnv, Logger: j.b.Logger}
	stale, err := cache.Prepare(&build, key)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	if fetched || len(stale) > 0 {
		if err := j.mix("deps.compile"); err != nil {
			return libcnb.BuildResult{}, err
		}
	} else {
		j.b.Logger.Body("Skipped mix deps.compile: the cached _build holds the deps compiled for these inputs")
	}
	cache.Finish(&build, key)
	j.result.Layers = append(j.result.Layers, build)

	j.b.Logger.Headerf("Compiling %s with MIX_ENV=%s", describeApp(j.project), j.mixEnv)
	if err := j.mix("compile"); err != nil {
		return libcnb.BuildResult{}, err
	}

	if err := j.phoenixAssets(); err != nil {
		return libcnb.BuildResult{}, err
	}

	var procs []libcnb.Process
	if runtime {
		procs = RuntimeProcesses(j.project.Phoenix)
		linked, err := LinkAppCaches(BuildRoot(build), j.mixEnv, j.projectApps())
		if err != nil {
			return libcnb.BuildResult{}, err
		}
		j.b.Logger.Bodyf("Mix rewrites compile.app_cache of %s at every boot (an image dates its files 1980, older than Mix ever takes a config to be): linked to %s, which the run user can write",
			strings.Join(linked, ", "), AppCacheDir)
		j.b.Logger.Headerf("Shipping the compiled app, its deps, Erlang and Elixir: web runs %s", strings.Join(append(procs[0].Command, procs[0].Arguments...), " "))
	} else {
		rl, err := layer(LayerRelease)
		if err != nil {
			return libcnb.BuildResult{}, err
		}
		rel := &Release{Root: j.root, Name: releaseName, Declared: j.project.HasRelease(releaseName), Phoenix: j.project.Phoenix, MixEnv: j.mixEnv, Env: j.env, Pass: j.pass, Runner: j.runner, Logger: j.b.Logger}
		if err := rel.Contribute(&rl); err != nil {
			return libcnb.BuildResult{}, err
		}
		if err := j.releaseSBOM(rl); err != nil {
			return libcnb.BuildResult{}, err
		}
		procs = rel.ProcessTypes(rl)
		al, err := layer(LayerReleaseApp)
		if err != nil {
			return libcnb.BuildResult{}, err
		}
		moved, err := LayeredRelease{Own: j.ownApps()}.Split(&rl, &al)
		if err != nil {
			return libcnb.BuildResult{}, err
		}
		j.b.Logger.Bodyf("Layered: ERTS and dependency applications in %s, the project's own in %s (%s)",
			LayerRelease, LayerReleaseApp, strings.Join(moved, ", "))
		j.result.Layers = append(j.result.Layers, rl, al)
	}
	if len(procfile) > 0 {
		j.b.Logger.Bodyf("Procfile: %s", processNames(procfile))
	}
	if rc := strings.TrimSpace(j.lookup.Get(RunCommandVar)); rc != "" {
		j.b.Logger.Bodyf("%s replaces the web process", RunCommandVar)
	}
	le, err := layer(LayerLaunchEnv)
	if err != nil {
		return libcnb.BuildResult{}, err
	}
	var guard string
	j.result.Processes, guard = GuardWeb(MergeProcesses(procs, procfile, j.lookup.Get(RunCommandVar)), filepath.Join(le.Path, WebGuardFile))
	if !runtime {
		if err := Remember(j.resultLayer(LayerRelease), j.resultLayer(LayerReleaseApp), j.sourceKey, j.result.Processes); err != nil {
			return libcnb.BuildResult{}, err
		}
	}

	if err := (LaunchEnv{MixEnv: j.mixEnv, WebGuard: guard}).Contribute(&le); err != nil {
		return libcnb.BuildResult{}, err
	}
	j.result.Layers = append(j.result.Layers, le)

	if err := j.shipAppDir(); err != nil {
		return libcnb.BuildResult{}, err
	}
	return j.result, nil
}

// shipAppDir leaves the app folder as the image gets it. Every path that
// ends a build goes through here, so a no-change rebuild exports the same
// folder, with the same modes, as a full build.
func (j *job) shipAppDir() error {
	dir := j.ctx.ApplicationPath
	if j.mode == ModeRelease {
		// The image is the release: source, deps and _build stay out of it.
		if err := clearDir(dir); err != nil {
			return fmt.Errorf("removing the source from the app folder: %w", err)
		}
		j.b.Logger.Header("Removed the source and build files from the app folder: the image holds only the release")
	}
	if err := LockAppDir(dir); err != nil {
		return fmt.Errorf("making the app folder read-only for the run user: %w", err)
	}
	return nil
}

// projectApps are the project's own applications: an umbrella's children,
// else the app.
func (j *job) projectApps() []string {
	if !j.project.Umbrella {
		return []string{j.project.App}
	}
	var apps []string
	for _, a := range j.project.Apps {
		apps = append(apps, a.Name)
	}
	return apps
}

// ownApps are the applications of the project itself and its path deps.
func (j *job) ownApps() []string {
	var children, paths []string
	for _, a := range j.project.Apps {
		children = append(children, a.Name)
	}
	for _, d := range j.project.Deps {
		if d.SCM == mixproject.SCMPath {
			paths = append(paths, d.Name)
		}
	}
	return OwnApps(j.project.App, children, paths)
}

// hexSettings hands Hex what the platform gives it: a hex binding or the
// BP_HEX_REPO_* and BP_HEX_ORGANIZATION* settings, and the HEX_* variables,
// which reach Mix as they are (with every other platform variable) and are
// never printed. The clean-up it returns, on every path, removes
// HEX_HOME/hex.config, which holds keys once Hex has authenticated an
// organization.
func (j *job) hexSettings(hexHome string) (func(), error) {
	cleanup := func() { RemoveHexConfig(hexHome) }
	j.pass = map[string]string{}
	for k, v := range j.ctx.Platform.Environment {
		j.pass[k] = v
	}
	if hexTrue(j.lookup.Get(HexUnsafeVar)) {
		j.b.Logger.Headerf("WARNING: %s is set: Hex will not check the registry's signature", HexUnsafeVar)
	}
	if hexTrue(j.lookup.Get(HexOfflineVar)) {
		j.b.Logger.Headerf("%s is set: Hex fetches nothing; its packages must be cached or committed in deps/", HexOfflineVar)
	}
	repo, err := ReadHexRepo(j.ctx.Platform.Bindings, j.lookup, j.ctx.ApplicationPath)
	if err != nil {
		return cleanup, err
	}
	j.hex = repo
	if from := reposKeyFrom(repo, j.pass); from != "" {
		j.b.Logger.Headerf("WARNING: Hex 2.5 deprecates %s (%s) and Hex 2.6 ignores it: "+
			"give an organization's key as a hex binding's %s and %s, or as %s and %s",
			HexReposKeyVar, from, BindingHexOrganization, BindingHexOrganizationKey, HexOrganizationVar, HexOrganizationKeyVar)
	}
	var what []string
	if repo.URL != "" {
		what = append(what, "repository "+repo.URL)
	}
	if repo.PublicKey != "" {
		what = append(what, "its public key")
	}
	if repo.Key != "" {
		// Hex reads the key from its environment: it is on no command line,
		// in no file and in no log line.
		j.pass[HexReposKeyVar] = repo.Key
		what = append(what, "a repository key")
	}
	if len(what) == 0 {
		return cleanup, nil
	}
	j.b.Logger.Headerf("Hex: using %s from %s, for this build only", strings.Join(what, ", "), repo.Source)
	return cleanup, repo.WriteConfig(hexHome)
}

// reposKeyFrom says where a HEX_REPOS_KEY comes from, "" when none is set.
func reposKeyFrom(repo HexRepo, pass map[string]string) string {
	switch {
	case repo.Key != "":
		return "the key of " + repo.Source
	case pass[HexReposKeyVar] != "":
		return "a platform variable"
	}
	return ""
}

// hexOrganizationAuth runs mix hex.organization auth ORG --key KEY, the
// way Hex 2.5 and later take an organization's key, just before deps.get
// (the only step that asks the repository). Hex stores the key in
// HEX_HOME/hex.config, which the build removes before it ends; the command
// line is printed with the key redacted.
func (j *job) hexOrganizationAuth() error {
	org := j.hex.Organization
	switch {
	case org == "":
		return nil
	case !j.project.NeedsHex():
		j.b.Logger.Bodyf("Hex: not authenticating the organization %s: no dependency comes from a Hex repository", org)
		return nil
	case hexTrue(j.lookup.Get(HexOfflineVar)):
		j.b.Logger.Bodyf("Hex: not authenticating the organization %s: %s is set, so Hex asks no server", org, HexOfflineVar)
		return nil
	}
	j.b.Logger.Bodyf("Hex: authenticating the organization %s with its key from %s, for this build only", org, j.hex.OrganizationKeySource)
	key := j.hex.OrganizationKey
	err := j.runner.Run(command.Cmd{Dir: j.root, Name: "mix", Env: j.env, Pass: j.pass, Secrets: []string{key},
		Args: []string{"hex.organization", "auth", org, "--key", key}})
	if err != nil {
		return usererr.New("Hex organization authentication failed",
			fmt.Sprintf("mix hex.organization auth %s failed (its output is above)", org),
			fmt.Sprintf("check that the key from %s is a key of the organization %s that can read its repository, then build again",
				j.hex.OrganizationKeySource, org))
	}
	return nil
}

func (j *job) introspect(title string) error {
	j.b.Logger.Header(title)
	p, err := j.intro.Run(j.root, j.env, j.pass)
	if err != nil {
		var le *mixproject.LoadError
		if !errors.As(err, &le) {
			return err
		}
		return usererr.New("Mix could not load the project",
			"loading mix.exs with Mix failed (its error is above)",
			"fix mix.exs so that mix can load it (mix help runs), then build again")
	}
	j.project = p
	j.b.Logger.Bodyf("%s; Elixir %s on Erlang/OTP %s", describeProject(p), j.tools.Elixir, j.tools.OTP)
	return nil
}

func (j *job) depsGet(depsPath string) error {
	if err := j.hexOrganizationAuth(); err != nil {
		return err
	}
	if err := j.skipHexUpdateCheck(); err != nil {
		return err
	}
	return runMix(j.runner, command.Cmd{Dir: j.root, Args: []string{"deps.get", "--only", j.mixEnv}, Env: j.env, Pass: j.pass},
		ErrHexOffline)
}

// rebar3 provides rebar3 when a dependency may build with it, unless the
// platform set MIX_REBAR3 to its own. Called again once git deps are
// fetched; it provides rebar3 once.
func (j *job) rebar3(installs Installs) error {
	why := Rebar3Need(j.project)
	if why == "" || j.rebar3Given {
		return nil
	}
	j.rebar3Given = true
	if own := j.lookup.Get(Rebar3Var); own != "" {
		j.b.Logger.Headerf("rebar3: %s; using %s=%s", why, Rebar3Var, own)
		return nil
	}
	l, err := j.ctx.Layers.Layer(LayerRebar3)
	if err != nil {
		return fmt.Errorf("creating layer %s: %w", LayerRebar3, err)
	}
	r := Rebar3{Why: why, Elixir: j.tools.Elixir, Installs: installs, Logger: j.b.Logger}
	if err := r.Contribute(&l); err != nil {
		return err
	}
	j.env[Rebar3Var] = Rebar3Bin(l)
	j.result.Layers = append(j.result.Layers, l)
	return nil
}

// mix runs a Mix task in the project root; a failure is the user's to fix,
// with Mix's own output above.
func (j *job) mix(args ...string) error {
	return runMix(j.runner, command.Cmd{Dir: j.root, Args: args, Env: j.env, Pass: j.pass}, nil)
}

// runMix runs the Mix task c names (c.Name is set to mix). On failure,
// explain, when given, reads Mix's output for a cause it knows and returns
// the one-line error that says it (nil when it knows none); otherwise the
// error points at Mix's output above.
func runMix(r command.Runner, c command.Cmd, explain func(output string) error) error {
	c.Name = "mix"
	var out bytes.Buffer
	if explain != nil {
		c.Also = &out
	}
	if err := r.Run(c); err != nil {
		if explain != nil {
			if known := explain(out.String()); known != nil {
				return known
			}
		}
		return mixFailed(c.Args[0])
	}
	return nil
}

func mixFailed(task string) error {
	return usererr.New("Mix failed",
		fmt.Sprintf("mix %s failed (its output is above)", task),
		"fix the error Mix reports, then build again")
}

// Rebar3Need says which deps need rebar3 before mix deps.get, "" when
// none does. Mix (1.15 on) reads a rebar3 dependency's rebar.config itself
// as it loads the fetched tree inside deps.get, but first wants rebar3
// available and otherwise runs local.rebar, which needs builds.hex.pm's
// signed list. That holds for a Hex package locked as rebar3, a path dep
// with a rebar.config, and any git dep: its build files are known only
// once deps.get has fetched it.
func Rebar3Need(p mixproject.Project) string {
	if why := needWhy(p, func(d mixproject.Dep) bool { return d.Manager == mixproject.ManagerRebar3 },
		"builds with rebar3", "build with rebar3"); why != "" {
		return why
	}
	return needWhy(p, func(d mixproject.Dep) bool { return d.SCM == mixproject.SCMGit && d.Manager == "" && !d.Fetched },
		"comes from git and may build with rebar3 (known once fetched)", "come from git and may build with rebar3 (known once fetched)")
}

func unknownManager(p mixproject.Project) bool {
	for _, d := range p.Deps {
		if d.Manager == "" && d.SCM != mixproject.SCMPath {
			return true
		}
	}
	return false
}

func isHex(d mixproject.Dep) bool { return d.SCM == mixproject.SCMHex }

// needWhy says which deps need a tool: "jason and plug come from a Hex
// repository", "telemetry builds with rebar3".
func needWhy(p mixproject.Project, f func(mixproject.Dep) bool, one, many string) string {
	names := p.DepNames(f)
	switch {
	case len(names) == 0:
		return ""
	case len(names) == 1:
		return names[0] + " " + one
	case len(names) > 5:
		names = append(names[:5], fmt.Sprintf("%d more", len(names)-5))
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1] + " " + many
}

func describeApp(p mixproject.Project) string {
	if p.Umbrella {
		return "the umbrella"
	}
	return p.App
}

func describeProject(p mixproject.Project) string {
	var parts []string
	if p.Umbrella {
		var apps []string
		for _, a := range p.Apps {
			apps = append(apps, a.Name)
		}
		parts = append(parts, fmt.Sprintf("umbrella with apps %s", strings.Join(apps, ", ")))
	} else {
		parts = append(parts, "app "+p.App)
	}
	if len(p.Releases) > 0 {
		parts = append(parts, "releases "+strings.Join(p.Releases, ", "))
	}
	bySCM := map[string][]string{}
	for _, d := range p.Deps {
		label := d.Name
		if d.Manager != "" && d.Manager != mixproject.ManagerMix {
			label += " (" + d.Manager + ")"
		}
		bySCM[d.SCM] = append(bySCM[d.SCM], label)
	}
	for _, scm := range []string{mixproject.SCMHex, mixproject.SCMGit, mixproject.SCMPath} {
		if len(bySCM[scm]) > 0 {
			parts = append(parts, scm+" deps "+strings.Join(bySCM[scm], ", "))
		}
	}
	if len(p.Deps) == 0 {
		parts = append(parts, "no deps")
	}
	if p.Phoenix {
		parts = append(parts, "Phoenix")
	}
	return strings.Join(parts, "; ")
}

func processNames(ps []libcnb.Process) string {
	var names []string
	for _, p := range ps {
		names = append(names, p.Type)
	}
	return strings.Join(names, ", ")
}

func nonEmptyDir(p string) bool {
	entries, err := os.ReadDir(p)
	return err == nil && len(entries) > 0
}

func isRealDir(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.IsDir()
}

func clearDir(dir string) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dir, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func firstSet(values ...string) string {
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}
