package facts_test

import (
	"testing"

	"github.com/buildpacks/libcnb/v2"
	. "github.com/onsi/gomega"
	"github.com/sclevine/spec"
	"github.com/sclevine/spec/report"

	"github.com/elixir-buildpacks/elixir-buildpacks/internal/facts"
	"github.com/elixir-buildpacks/elixir-buildpacks/internal/usererr"
)

func TestUnit(t *testing.T) {
	spec.Run(t, "facts", testFacts, spec.Report(report.Terminal{}))
}

func testFacts(t *testing.T, when spec.G, it spec.S) {
	Expect := NewWithT(t).Expect
	var env map[string]string
	lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }

	// published is what a later buildpack sees: each layer's env.build.
	published := func(layers ...libcnb.Layer) {
		env = map[string]string{}
		for _, l := range layers {
			for k, v := range l.BuildEnvironment {
				env[k[:len(k)-len(".override")]] = v
			}
		}
	}

	it("reads back what the runtimes published", func() {
		erl := libcnb.Layer{BuildEnvironment: libcnb.Environment{}}
		ex := libcnb.Layer{BuildEnvironment: libcnb.Environment{}}
		facts.PublishErlang(&erl, "27.3.4.1", "amd64/ubuntu-22.04")
		facts.PublishElixir(&ex, "1.18.4")
		published(erl, ex)

		tc, err := facts.Read(lookup)
		Expect(err).NotTo(HaveOccurred())
		Expect(tc.OTP.String()).To(Equal("27.3.4.1"))
		Expect(tc.Target).To(Equal("amd64/ubuntu-22.04"))
		Expect(tc.Elixir).To(Equal("1.18.4"))
		Expect(tc.Key()).To(Equal("otp 27.3.4.1 elixir 1.18.4 target amd64/ubuntu-22.04"))
	})

	it("names the missing fact and the buildpack that owns it", func() {
		env = map[string]string{}
		_, err := facts.Read(lookup)
		Expect(err).To(MatchError("ELIXIR_BP_OTP_VERSION, which the erlang-runtime buildpack publishes, is not set: " +
			"erlang-runtime did not run before this buildpack; build with a builder that runs erlang-runtime before it in the same group"))
		var ue *usererr.Error
		Expect(err).To(BeAssignableToTypeOf(ue))

		env = map[string]string{facts.OTPVersionVar: "25.2.3", facts.TargetVar: "amd64/ubuntu-22.04"}
		_, err = facts.ReadErlang(lookup)
		Expect(err).NotTo(HaveOccurred())
		_, err = facts.Read(lookup)
		Expect(err).To(MatchError(ContainSubstring("ELIXIR_BP_ELIXIR_VERSION, which the elixir-runtime buildpack publishes, is not set")))
	})

	it("refuses an OTP version it cannot parse", func() {
		env = map[string]string{facts.OTPVersionVar: "twenty-five", facts.TargetVar: "amd64/ubuntu-22.04"}
		_, err := facts.ReadErlang(lookup)
		Expect(err).To(MatchError(ContainSubstring(`ELIXIR_BP_OTP_VERSION="twenty-five", as erlang-runtime published it`)))
	})
}
