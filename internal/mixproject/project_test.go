package mixproject_test

import (
	"testing"

	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/mixproject"
)

func TestUnit(t *testing.T) {
	suite := spec.New("mixproject", spec.Report(report.Terminal{}))
	suite("Project", testProject)
	suite.Run(t)
}

// report is what introspect.exs wrote for an umbrella on Elixir 1.14.
const reportJSON = `{"aliases":["setup"],"app":null,"apps":[{"aliases":["assets.deploy"],"name":"web","path":"apps/web","phoenix":true},
{"aliases":[],"name":"worker","path":"apps/worker","phoenix":false}],"default_release":null,
"deps":[{"fetched":false,"in_lock":true,"manager":null,"name":"erlcount","path":null,"scm":"git"},
{"fetched":true,"in_lock":true,"manager":"rebar3","name":"telemetry","path":null,"scm":"hex"},
{"fetched":true,"in_lock":false,"manager":"mix","name":"greeting","path":"local/greeting","scm":"path"},
{"fetched":true,"in_lock":true,"manager":"mix","name":"phoenix","path":null,"scm":"hex"}],
"lockfile":"mix.lock","mix_env":"prod","mix_target":"host",
"phoenix":true,"releases":["web","worker"],"umbrella":true,"version":null}`

func testProject(t *testing.T, context spec.G, it spec.S) {
	Expect := NewWithT(t).Expect

	it("reads the script's report, nulls included", func() {
		p, err := mixproject.Parse([]byte(reportJSON))
		Expect(err).NotTo(HaveOccurred())
		Expect(p.Umbrella).To(BeTrue())
		Expect(p.App).To(BeEmpty())
		Expect(p.Apps).To(Equal([]mixproject.App{
			{Name: "web", Path: "apps/web", Aliases: []string{"assets.deploy"}, Phoenix: true},
			{Name: "worker", Path: "apps/worker", Aliases: []string{}},
		}))
		Expect(p.Releases).To(Equal([]string{"web", "worker"}))
		Expect(p.Deps[0]).To(Equal(mixproject.Dep{Name: "erlcount", SCM: "git", InLock: true}))
		Expect(p.Deps[2]).To(Equal(mixproject.Dep{Name: "greeting", SCM: "path", Manager: "mix", Path: "local/greeting", Fetched: true}))
		Expect([]string{p.MixEnv, p.Lockfile}).To(Equal([]string{"prod", "mix.lock"}))
		Expect(p.Phoenix).To(BeTrue())
	})

	it("says which tools the deps need", func() {
		p, err := mixproject.Parse([]byte(reportJSON))
		Expect(err).NotTo(HaveOccurred())
		Expect(p.NeedsHex()).To(BeTrue())
		Expect(p.Fetchable()).To(BeTrue())
		Expect(p.DepNames(func(d mixproject.Dep) bool { return d.SCM == "hex" })).To(Equal([]string{"phoenix", "telemetry"}))

		local := mixproject.Project{Deps: []mixproject.Dep{{Name: "greeting", SCM: "path", Manager: "mix"}}}
		Expect(local.NeedsHex()).To(BeFalse())
		Expect(local.Fetchable()).To(BeFalse())
	})

	it("finds aliases at the root and in umbrella children, and releases by name", func() {
		p, err := mixproject.Parse([]byte(reportJSON))
		Expect(err).NotTo(HaveOccurred())
		Expect(p.HasAlias("setup")).To(BeTrue())
		Expect(p.HasAlias("assets.deploy")).To(BeTrue())
		Expect(p.HasAlias("assets.setup")).To(BeFalse())
		Expect(p.HasRelease("worker")).To(BeTrue())
		Expect(p.HasRelease("api")).To(BeFalse())
	})

	it("refuses what is not the report", func() {
		_, err := mixproject.Parse([]byte("Compiling 1 file"))
		Expect(err).To(MatchError(HavePrefix("reading the Mix project report: ")))
	})
}
